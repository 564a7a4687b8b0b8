// Long fuzz runs (issue 9): the properties of e2e/fuzz.test.ts with a random seed, or the one in
// PMH_FUZZ_SEED, and PMH_FUZZ_RUNS cases per endpoint (default 2,000). The seed is printed first, so
// a failure can be replayed: PMH_FUZZ_SEED=<seed> npm run fuzz (PMH_FUZZ_ONLY=<endpoint> for one).
// Add PMH_TEST_DATABASE_URL to fuzz on PostgreSQL as well.
import crypto from 'node:crypto';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..');
const seed = process.env.PMH_FUZZ_SEED ?? String(crypto.randomInt(2 ** 31));
const runs = process.env.PMH_FUZZ_RUNS ?? '2000';
console.log(`fuzz: seed ${seed}, ${runs} runs per endpoint${process.env.PMH_FUZZ_ONLY ? `, endpoints matching ${process.env.PMH_FUZZ_ONLY}` : ''}`);
console.log(`fuzz: replay with PMH_FUZZ_SEED=${seed} PMH_FUZZ_RUNS=${runs} npm run fuzz`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'e2e/fuzz.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PMH_FUZZ_SEED: seed, PMH_FUZZ_RUNS: runs },
});
if (r.status !== 0) console.log(`fuzz: failed; replay with PMH_FUZZ_SEED=${seed} PMH_FUZZ_RUNS=${runs} npm run fuzz`);
process.exit(r.status ?? 1);
