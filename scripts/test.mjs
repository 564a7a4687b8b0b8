// Runs every test file with Node's own runner. Node 20 does not expand globs itself, so the files
// are found here: packages/*/test/**/*.test.ts and e2e/**/*.test.ts. Arguments filter by substring
// (arguments starting with `--` go to `node --test` as they are).
//
// Files run in parallel, each in a process of its own: PMH_TEST_CONCURRENCY at once (default: the
// machine's cores, fewer when memory is short; a test world on PGlite costs 300–700 MB). Every file
// keeps its state to itself (ports from freePort, temporary directories, databases of random names),
// so any of them may share the machine with any other. The slowest files start first: each run
// records how long every file took, and the next run orders by it. The fault tests in ALONE run
// afterwards, one at a time with nothing beside them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('--'));
const passThrough = args.filter((a) => a.startsWith('--'));
const roots = [...fs.readdirSync(path.join(root, 'packages')).map((p) => path.join('packages', p, 'test')), 'e2e'];
const files = roots
  .filter((d) => fs.existsSync(path.join(root, d)))
  .flatMap((d) => fs.readdirSync(path.join(root, d), { recursive: true }).map((f) => path.join(d, String(f))))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((a) => f.includes(a)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

/** Files at once: PMH_TEST_CONCURRENCY, else one per core while about a gigabyte of memory is free for each. */
function concurrency() {
  const asked = process.env.PMH_TEST_CONCURRENCY;
  if (asked) {
    const n = Number(asked);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`PMH_TEST_CONCURRENCY must be a whole number ≥ 1, not ${JSON.stringify(asked)}`);
      process.exit(2);
    }
    return n;
  }
  const byMemory = Math.floor(os.freemem() / 1024 ** 3);
  return Math.max(1, Math.min(os.availableParallelism(), byMemory));
}

// How long each file took last time (seconds, the sum of its top-level suites), kept per user in the
// temporary directory: the longest start first, so one slow file does not run alone at the end.
const durationsFile = path.join(os.tmpdir(), `pmh-test-durations-${os.userInfo().uid}.json`);
let known = {};
try {
  known = JSON.parse(fs.readFileSync(durationsFile, 'utf8'));
} catch {
  /* first run: e2e scenarios (whole worlds, subprocesses, a browser) are the slow ones */
}
/**
 * Files that run alone, after the others: they stop, cut or freeze databases and assert how soon
 * everything recovers (a lease still held, the first write after the return). They share nothing
 * with other files, but on a loaded machine a neighbour's burst can push those seconds past what
 * they allow: once they failed so, under load 12 on 2 cores, and passed alone.
 */
const ALONE = ['e2e/database-outage.test.ts', 'packages/core/test/database-outage.test.ts', 'e2e/read-only-database.test.ts'];

const guess = (f) => known[f] ?? (f.startsWith('e2e') ? 60 : 20);
const ordered = [...files].sort((a, b) => guess(b) - guess(a) || a.localeCompare(b));
const together = ordered.filter((f) => !ALONE.includes(f));
const alone = ordered.filter((f) => ALONE.includes(f));

const n = Math.max(1, Math.min(concurrency(), together.length));
const measured = path.join(os.tmpdir(), `pmh-test-durations-${process.pid}.jsonl`);
const reporter = process.stdout.isTTY ? 'spec' : 'tap';
const hasReporter = passThrough.some((a) => a.startsWith('--test-reporter'));
const reporting = hasReporter
  ? []
  : [
      `--test-reporter=${reporter}`,
      '--test-reporter-destination=stdout',
      `--test-reporter=${path.join(root, 'scripts', 'test-durations.mjs')}`,
      `--test-reporter-destination=${measured}`,
    ];
console.error(`# ${together.length} test files, ${n} at a time (PMH_TEST_CONCURRENCY to change)${alone.length ? `; then ${alone.length} alone` : ''}`);
const started = Date.now();
const measuredLines = [];
const run = (list, at) => {
  if (list.length === 0) return 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${at}`, ...reporting, ...passThrough, ...list], {
    cwd: root,
    stdio: 'inherit',
  });
  try {
    measuredLines.push(fs.readFileSync(measured, 'utf8'));
    fs.rmSync(measured);
  } catch {
    /* no durations (another reporter was asked for) */
  }
  return r.status ?? 1;
};
const statuses = [run(together, n), run(alone, 1)];
console.error(`# test files done in ${((Date.now() - started) / 1000).toFixed(1)} s (${n} at a time, then ${alone.length} alone)`);

try {
  const seen = {};
  for (const line of measuredLines.join('').split('\n').filter(Boolean)) {
    const { file, seconds } = JSON.parse(line);
    const rel = path.relative(root, file);
    seen[rel] = (seen[rel] ?? 0) + seconds;
  }
  const next = { ...known, ...seen };
  const tmp = `${durationsFile}.${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(next, null, 1)}\n`);
  fs.renameSync(tmp, durationsFile);
  const slowest = Object.entries(seen)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10);
  if (slowest.length > 1) console.error(`# slowest files:\n${slowest.map(([f, s]) => `#   ${s.toFixed(1).padStart(6)} s  ${f}`).join('\n')}`);
} catch {
  /* no durations (another reporter was asked for): the order stays as it was */
} finally {
  fs.rmSync(measured, { force: true });
}
process.exit(statuses.find((x) => x !== 0) ?? 0);
