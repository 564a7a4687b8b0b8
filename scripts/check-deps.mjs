#!/usr/bin/env node
// Each workspace's package.json against what its files import. Biome's noUndeclaredDependencies
// (npm run lint) finds an import that package.json does not declare; this finds the other half
// and the one rule between packages:
// - a declared dependency no file of the workspace imports (dead weight, or a dependency that
//   belongs to another workspace);
// - a service importing another service (hub, idserver, oqs, portal, clinic talk only over HTTP,
//   through the contracts in @pmh/protocol), or a service or the CLI importing the test kit.
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SERVICES = new Set(['@pmh/hub', '@pmh/idserver', '@pmh/oqs', '@pmh/portal', '@pmh/clinic']);
const PRODUCTION = new Set([...SERVICES, '@pmh/core', '@pmh/protocol', '@pmh/seed', '@pmh/cli']);
/** Used by tools, not imported: type packages, bundler plugins, CLIs run by name. */
const TOOLS = /^(@types\/|@biomejs\/|typescript$|tsx$|vite$|@vitejs\/|tailwindcss$|@tailwindcss\/|@digital-go-jp\/|autocannon$)/;
const BUILTIN = new Set(builtinModules);

function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist') return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(ts|tsx|mjs|js)$/.test(e.name) ? [p] : [];
  });
}

/** Bare package names a file imports (static and dynamic imports, re-exports, `import type`). */
function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = new Set();
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) {
    const spec = m[1];
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    if (!BUILTIN.has(name)) out.add(name);
  }
  return out;
}

const workspaces = [
  { dir: root, pkg: JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')), sources: ['bench', 'e2e', 'deploy', 'scripts'] },
  ...fs
    .readdirSync(path.join(root, 'packages'))
    .filter((d) => fs.existsSync(path.join(root, 'packages', d, 'package.json')))
    .map((d) => {
      const dir = path.join(root, 'packages', d);
      return { dir, pkg: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')), sources: ['src', 'test', 'vite.config.ts'] };
    }),
];

const problems = [];
for (const w of workspaces) {
  const used = new Map();
  for (const s of w.sources) {
    const p = path.join(w.dir, s);
    for (const f of fs.existsSync(p) && fs.statSync(p).isFile() ? [p] : files(p))
      for (const name of importsOf(f)) used.set(name, [...(used.get(name) ?? []), path.relative(root, f)]);
  }
  const declared = { ...w.pkg.dependencies, ...w.pkg.devDependencies };
  for (const name of Object.keys(declared))
    if (!used.has(name) && !TOOLS.test(name)) problems.push(`${w.pkg.name}: declares ${name}, which none of its files imports`);
  if (PRODUCTION.has(w.pkg.name)) {
    for (const [name, where] of used) {
      const srcOnly = where.filter((f) => !f.includes('/test/'));
      if (SERVICES.has(w.pkg.name) && SERVICES.has(name) && name !== w.pkg.name)
        problems.push(`${w.pkg.name} imports another service, ${name} (${where[0]}): services talk over HTTP, through @pmh/protocol`);
      if (name === '@pmh/testkit' && srcOnly.length) problems.push(`${w.pkg.name} imports the test kit from production code (${srcOnly[0]})`);
    }
  }
}

if (problems.length) {
  console.error(problems.map((p) => `✗ ${p}`).join('\n'));
  process.exit(1);
}
console.log(`dependencies: ${workspaces.length} workspaces declare what they import and nothing else; no service imports another`);
