// Runs every test file with Node's own runner. Node 20 does not expand globs itself, so the files
// are found here: packages/*/test/**/*.test.ts and e2e/**/*.test.ts. Arguments filter by substring.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..');
const roots = [...fs.readdirSync(path.join(root, 'packages')).map((p) => path.join('packages', p, 'test')), 'e2e'];
const files = roots
  .filter((d) => fs.existsSync(path.join(root, d)))
  .flatMap((d) => fs.readdirSync(path.join(root, d), { recursive: true }).map((f) => path.join(d, String(f))))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => process.argv.length <= 2 || process.argv.slice(2).some((a) => f.includes(a)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
