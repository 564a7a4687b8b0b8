// Runs every test file with Node's own runner. Node 20 does not expand globs itself, so the files
// are found here: packages/*/test/**/*.test.ts and e2e/**/*.test.ts. Arguments filter by substring
// (arguments starting with `--` go to `node --test` as they are).
//
// Files share a few processes instead of one each: loading the services' modules through tsx costs a
// test process several seconds of CPU (about 7 s for a file that imports the test world), which over
// ~80 files was a third of the suite's CPU. PMH_TEST_CONCURRENCY worker processes (default: the
// machine's cores, fewer when memory is short; a test world on PGlite costs 300–700 MB) take the files
// from one queue, the longest first, each running one file at a time. Every file keeps its state to itself (ports from freePort,
// temporary directories, databases of random names), so any of them may share a process or the machine
// with any other; Node's runner still names each test's own file. PMH_TEST_ISOLATE=1 gives every file a
// process of its own, as before. The fault tests in ALONE run afterwards, with nothing beside them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

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
// temporary directory: the longest are queued first, so that no long file starts last.
const durationsFile = path.join(os.tmpdir(), `pmh-test-durations-${os.userInfo().uid}.json`);
const readJson = (f) => {
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8'));
  } catch {
    return {};
  }
};
const known = readJson(durationsFile);
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
const isolate = process.env.PMH_TEST_ISOLATE === '1';

const n = Math.max(1, Math.min(concurrency(), together.length));

/**
 * The files as `count` worker processes that share one queue: each worker takes the next file (the
 * longest first, by last time's figures), runs its tests, and only then takes another, so a wrong
 * guess of how long a file takes costs nothing but order. A worker claims a file by creating its
 * directory under a claims directory (mkdir is atomic: exactly one worker gets each). After a file's
 * tests, the worker runs a marker test named `<file> (done)`: Node's runner runs a process's top-level
 * tests one after another, so the marker's promise settles when the file's last test has.
 */
const UNITS_PER_WORKER = Number(process.env.PMH_TEST_FILES_PER_PROCESS ?? 4);
const groupsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmh-test-groups-'));
function grouped(list) {
  if (isolate || list.length <= 1) return list;
  // The files that walk the demo in a browser share one `pmh start` (testkit's sharedDemo): one unit,
  // so that one worker runs them all.
  const demoWalks = list.filter((f) => fs.readFileSync(path.join(root, f), 'utf8').includes('sharedDemo('));
  const units = [...(demoWalks.length ? [demoWalks] : []), ...list.filter((f) => !demoWalks.includes(f)).map((f) => [f])];
  const seconds = (unit) => unit.reduce((sum, f) => sum + guess(f), 0);
  units.sort((a, b) => seconds(b) - seconds(a));
  const claims = fs.mkdtempSync(path.join(groupsDir, 'claims-'));
  const queue = units.map((unit) => unit.map((f) => [f, pathToFileURL(path.join(root, f)).href]));
  // At most UNITS_PER_WORKER files (or demo-walk units) per process, then a fresh process: a process
  // that has run many files runs the later ones slower (what earlier files' tests leave reachable —
  // worlds held by their suites' closures — grows the heap; in one CI run the fuzz file, run seventh
  // in its process, took five times its time alone). Node's runner starts the next worker as one ends.
  const workers = Math.ceil(units.length / UNITS_PER_WORKER);
  return Array.from({ length: workers }, (_, i) => {
    const entry = path.join(groupsDir, `worker-${i + 1}-of-${workers}.mjs`);
    // A file that fails to load is a failed test of its own name; the worker goes on with the next.
    const body = [
      `// test worker ${i + 1} of ${workers}: takes the next of ${list.length} files from the shared queue, at most ${UNITS_PER_WORKER}`,
      "import fs from 'node:fs';",
      "import { test } from 'node:test';",
      `const queue = ${JSON.stringify(queue)};`,
      `const claims = ${JSON.stringify(claims)};`,
      'let next = 0;',
      'const claim = () => {',
      '  for (; next < queue.length; next++) {',
      '    try {',
      '      fs.mkdirSync(`${claims}/${next}`);',
      '      return queue[next++];',
      '    } catch {',
      '      /* another worker has it */',
      '    }',
      '  }',
      '};',
      `for (let unit = claim(), taken = 1; unit; unit = taken++ < ${UNITS_PER_WORKER} ? claim() : undefined) {`,
      '  for (const [file, url] of unit) {',
      '    try {',
      '      await import(url);',
      '    } catch (error) {',
      '      test(`${file} loads`, () => {',
      '        throw error;',
      '      });',
      '    }',
      '    await test(`${file} (done)`, () => {});',
      '  }',
      '}',
    ];
    fs.writeFileSync(entry, `${body.join('\n')}\n`);
    return entry;
  });
}

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
console.error(
  `# ${together.length} test files, ${n} at a time${isolate ? ', a process each' : ` by worker processes taking up to ${UNITS_PER_WORKER} each from one queue`} (PMH_TEST_CONCURRENCY, PMH_TEST_ISOLATE to change)${alone.length ? `; then ${alone.length} alone` : ''}`,
);
const started = Date.now();
const measuredLines = [];
const run = (list, at) => {
  if (list.length === 0) return 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${at}`, ...reporting, ...passThrough, ...grouped(list)], {
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
fs.rmSync(groupsDir, { recursive: true, force: true });
console.error(`# test files done in ${((Date.now() - started) / 1000).toFixed(1)} s (${n} at a time, then ${alone.length} alone)`);

try {
  const seen = {};
  for (const line of measuredLines.join('').split('\n').filter(Boolean)) {
    const { file, seconds } = JSON.parse(line);
    const rel = path.relative(root, file);
    if (rel.startsWith('..')) continue; // a worker's own marker tests, not a test file's
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
