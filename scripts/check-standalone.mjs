#!/usr/bin/env node
// The repository stands alone: nothing in it points at files a user of it does not have, and what
// its docs point at exists. Run by .ci/run before the tests, and as `npm run check:standalone`.
//
// 1. No tracked file refers to a design brief kept outside the repository: a relative path that
//    climbs out of the repository (`../shared/…` from the root) or names a file that is not here,
//    `shared/design` or `shared/seed`, or the brief's file names (A-R-C-H-I-T-E-C-T-U-R-E.md and the
//    like) when no tracked file has that name. (`packages/web/src/shared/` is ours, and allowed.)
// 2. Every `docs/<name>.md#anchor` named anywhere, and every relative link in README.md and docs/,
//    resolves to a tracked file (and heading or `<a id>`).
// 3. Every test docs/privacy.md cites as `path.test.ts` › “name” exists: the file is tracked and
//    holds that name.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
const trackedSet = new Set(tracked);
const trackedDirs = new Set(
  tracked.flatMap((f) =>
    f
      .split('/')
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
  ),
);
const basenames = new Set(tracked.map((f) => path.posix.basename(f)));
const self = path.posix.relative(root, new URL(import.meta.url).pathname);

const problems = new Set();
const report = (file, line, message) => problems.add(`${file}:${line}: ${message}`);

/** The brief's file names, spelled so this file does not match itself. */
const briefNames = ['ARCHITECTURE', 'API', 'FACTS', 'STYLE'].map((n) => `${n}.md`);
const briefName = new RegExp(`(?<![\\w/.-])(?:[\\w./-]*/)?(${briefNames.map((n) => n.replace('.', '\\.')).join('|')})\\b`, 'g');
const outsideTree = new RegExp(['shared/design', 'shared/seed', '/work/shared'].map((s) => s.replaceAll('/', '\\/')).join('|'), 'g');
const climbing = /(?:\.\.\/)+shared\b[\w./-]*/g;
const docRef = /(?<![\w/.-])docs\/([\w.-]+\.md)(?:#([\w-]+))?/g;

function text(file) {
  const buf = readFileSync(path.join(root, file));
  if (buf.includes(0)) return undefined; // binary
  return buf.toString('utf8');
}

/** Resolve `ref` relative to `file`'s directory, inside the repository; undefined when it climbs out. */
function resolveFrom(file, ref) {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref));
  return joined.startsWith('../') || joined === '..' ? undefined : joined;
}
const exists = (p) => trackedSet.has(p) || trackedDirs.has(p.replace(/\/$/, ''));

/** GitHub's heading anchors, plus explicit `<a id="…">`. */
const anchorCache = new Map();
function anchors(file) {
  if (anchorCache.has(file)) return anchorCache.get(file);
  const set = new Set();
  const seen = new Map();
  for (const line of (text(file) ?? '').split('\n')) {
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) set.add(m[1]);
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (!h) continue;
    const base = h[1]
      .replace(/<[^>]+>/g, '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    set.add(n === 0 ? base : `${base}-${n}`);
  }
  anchorCache.set(file, set);
  return set;
}

function checkDocRef(file, line, target, anchor) {
  if (!trackedSet.has(target)) return report(file, line, `${target} is not in the repository`);
  if (anchor && !anchors(target).has(anchor)) report(file, line, `${target} has no anchor #${anchor}`);
}

for (const file of tracked) {
  if (file === self || file === 'package-lock.json') continue;
  const body = text(file);
  if (body === undefined) continue;
  const lines = body.split('\n');
  const isDoc = file === 'README.md' || (file.startsWith('docs/') && file.endsWith('.md')) || /(^|\/)README\.md$/.test(file);
  lines.forEach((l, i) => {
    const n = i + 1;
    for (const m of l.matchAll(outsideTree)) report(file, n, `refers to ${m[0]}, outside the repository`);
    for (const m of l.matchAll(climbing)) {
      const target = resolveFrom(file, m[0]);
      if (!target || !exists(target)) report(file, n, `${m[0]} is not a file of the repository`);
    }
    for (const m of l.matchAll(briefName)) {
      const target = m[0].includes('/') ? resolveFrom(file, m[0]) : undefined;
      if (target ? !trackedSet.has(target) : !basenames.has(m[1])) report(file, n, `refers to ${m[0]}, a file outside the repository`);
    }
    for (const m of l.matchAll(docRef)) checkDocRef(file, n, `docs/${m[1]}`, m[2]);
    if (isDoc) {
      for (const m of l.matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = m[1];
        if (/^[a-z]+:/i.test(href)) continue;
        const [p, anchor] = href.split('#');
        const target = p === '' ? file : resolveFrom(file, p);
        if (!target) report(file, n, `link ${href} leaves the repository`);
        else if (target.endsWith('.md')) checkDocRef(file, n, target, anchor);
        else if (!exists(target)) report(file, n, `link ${href}: ${target} is not in the repository`);
      }
    }
  });
}

// 3. The tests docs/privacy.md cites.
const privacy = 'docs/privacy.md';
let cited = 0;
if (trackedSet.has(privacy)) {
  text(privacy)
    .split('\n')
    .forEach((l, i) => {
      for (const m of l.matchAll(/`([\w./-]+\.test\.ts)` › “([^”]+)”/g)) {
        cited++;
        const [, testFile, name] = m;
        if (!trackedSet.has(testFile)) report(privacy, i + 1, `cites ${testFile}, which is not in the repository`);
        else if (!text(testFile).includes(name)) report(privacy, i + 1, `cites “${name}”, which ${testFile} does not hold`);
      }
    });
  if (cited === 0) report(privacy, 1, 'cites no test (expected `path.test.ts` › “test name”)');
}

if (problems.size) {
  console.error(`check-standalone: ${problems.size} problem(s)\n${[...problems].join('\n')}`);
  process.exit(1);
}
console.log(`check-standalone: ${tracked.length} tracked files stand alone; ${cited} tests cited by ${privacy} exist`);
