/**
 * Helpers shared by the benchmarks: child processes that are always cleaned up, memory read from
 * /proc, and plain-text tables.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const CLI = 'packages/cli/src/main.ts';

/** Progress line, on stderr-free stdout so `npm run bench | tee` keeps everything in order. */
export function log(message: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one we spawn is tracked and killed when this process ends, however it ends.

const children = new Set<ChildProcess>();

function killAll(signal: NodeJS.Signals): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try {
        c.kill(signal);
      } catch {
        /* already gone */
      }
    }
  }
}

let hooksInstalled = false;
function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Synchronous last resort: no orphan keeps a port or a PGlite lock after we are gone.
  process.on('exit', () => killAll('SIGKILL'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stdout.write(`\n[bench] ${sig}: stopping child processes\n`);
      killAll('SIGKILL');
      process.exit(130);
    });
  }
}

/** Registers a cleanup that runs (synchronously) when the bench process exits. */
export function onExit(fn: () => void): void {
  process.on('exit', () => {
    try {
      fn();
    } catch {
      /* best effort */
    }
  });
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** performance.now() when spawn() was called. */
  spawnedAt: number;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first output line `match` accepts, and when that line was seen. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<{ line: string; at: number }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `node --import tsx packages/cli/src/main.ts <args>` from the repository root. */
export function spawnPmh(args: string[], env: Record<string, string | undefined>): Spawned {
  installHooks();
  const spawnedAt = performance.now();
  const fullEnv: Record<string, string> = {};
  // Benchmarks call far faster than any one real caller may: no rate limits unless a benchmark asks.
  for (const [k, v] of Object.entries({ ...process.env, PMH_LOG_LEVEL: 'warn', PMH_RATE_LIMIT: 'off', ...env })) if (v !== undefined) fullEnv[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let pending = '';
  const watchers: Array<(line: string, at: number) => boolean> = [];
  const lines: Array<{ line: string; at: number }> = [];
  const onData = (d: Buffer) => {
    const at = performance.now();
    const s = d.toString();
    out += s;
    pending += s;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      lines.push({ line, at });
      for (let i = watchers.length - 1; i >= 0; i--) if (watchers[i](line, at)) watchers.splice(i, 1);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const tail = () => out.split('\n').slice(-30).join('\n');
  return {
    child,
    pid: child.pid!,
    spawnedAt,
    output: () => out,
    exited,
    waitForLine(match, timeoutMs = 120_000) {
      const seen = lines.find((l) => match(l.line));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`pmh ${args.join(' ')}: no expected line after ${timeoutMs} ms; output:\n${tail()}`)), timeoutMs);
        watchers.push((line, at) => {
          if (!match(line)) return false;
          clearTimeout(timer);
          resolve({ line, at });
          return true;
        });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`pmh ${args.join(' ')} exited (${code ?? signal}) before the expected line; output:\n${tail()}`));
        });
      });
    },
  };
}

/** `pmh serve <service>`: waits for its JSON ready line. */
export async function spawnService(args: string[], env: Record<string, string | undefined>): Promise<Spawned & { url: string }> {
  const p = spawnPmh(args, env);
  try {
    const { line } = await p.waitForLine((l) => l.includes('"event":"ready"'));
    return { ...p, url: JSON.parse(line).url as string };
  } catch (e) {
    await stop(p, 'SIGKILL');
    throw e;
  }
}

/** SIGTERM (orderly) and wait; SIGKILL if it is still there after `graceMs`. */
export async function stop(p: Spawned, signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
  p.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
  const r = await Promise.race([p.exited, late]);
  clearTimeout(timer);
  if (r === 'late') {
    log(`pid ${p.pid} did not exit within ${graceMs} ms of ${signal}; killing it`);
    p.child.kill('SIGKILL');
    return p.exited;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Memory, from /proc (Linux).

/** A `kB` field of /proc/<pid>/status, in bytes; undefined when the process is gone. */
function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(s);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set size of one process (VmHWM), bytes. */
export function peakRss(pid: number): number | undefined {
  return statusField(pid, 'VmHWM');
}

/** Current resident set size of one process (VmRSS), bytes. */
export function currentRss(pid: number): number | undefined {
  return statusField(pid, 'VmRSS');
}

/**
 * Resets a process's VmHWM to its current RSS (Linux ≥ 4.0: `echo 5 > /proc/<pid>/clear_refs`), so
 * a later `peakRss` is the peak since now. False when not permitted.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** The process and all its descendants (via /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    out.push(p);
    let tids: string[] = [];
    try {
      tids = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const kids = fs.readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim();
        if (kids) for (const k of kids.split(/\s+/)) queue.push(Number(k));
      } catch {
        /* thread gone */
      }
    }
  }
  return out;
}

function commandName(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return `pid ${pid}`;
  }
}

export interface TreeMemory {
  processes: number;
  /** Sum of VmRSS over the tree, bytes. */
  rss: number;
  /** Sum of VmHWM over the tree, bytes (an upper bound of the tree's peak: peaks may not coincide). */
  hwm: number;
}

export function treeMemory(pid: number): TreeMemory {
  let rss = 0;
  let hwm = 0;
  const pids = processTree(pid);
  for (const p of pids) {
    rss += currentRss(p) ?? 0;
    hwm += peakRss(p) ?? 0;
  }
  return { processes: pids.length, rss, hwm };
}

/**
 * Samples a process tree's summed RSS every `everyMs` until stopped; `peak()` is the largest sum
 * seen, `hwm()` the largest summed VmHWM (catches peaks between samples). Call `sample()` once
 * more right before the process exits.
 */
export function memorySampler(pid: number, everyMs = 100) {
  let peakSum = 0;
  let hwmSum = 0;
  let processes = 1;
  const names = new Set<string>();
  const sample = () => {
    const m = treeMemory(pid);
    if (m.rss === 0) return;
    processes = Math.max(processes, m.processes);
    if (m.processes > 1) for (const p of processTree(pid).slice(1)) names.add(commandName(p));
    peakSum = Math.max(peakSum, m.rss);
    hwmSum = Math.max(hwmSum, m.hwm);
  };
  sample();
  const t = setInterval(sample, everyMs);
  t.unref();
  return {
    sample,
    stop: () => clearInterval(t),
    peak: () => peakSum,
    hwm: () => hwmSum,
    processes: () => processes,
    /** Command names of the descendants seen. */
    children: () => [...names],
  };
}

// ---------------------------------------------------------------------------------------------
// Odds and ends.

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A temp directory, removed when the bench process exits (even on errors). */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onExit(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1e6)} MB`);
export const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const perSec = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** A plain-text table; numbers-looking cells are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const numeric = (s: string) => /^[-+≥≤<>~]?\s*[\d,.]+(\s*(%|x|×|s|MB|\/s|records\/s))?$/.test(s.trim());
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (numeric(c ?? '') && i > 0 ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** Records processed / elapsed ms → per second. */
export const rate = (n: number, ms: number) => (n * 1000) / ms;
