import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './net.ts';
import { ROOT } from './process.ts';
import { tempDir } from './world.ts';

/** The whole demo as `npm start` runs it: every service, the clinic app, and the seeded files. */
export interface Demo {
  dir: string;
  urls: Record<'hub' | 'idserver' | 'oqs' | 'portal' | 'clinic', string>;
  /** Everything `pmh start` printed so far. */
  output(): string;
  /** A file the seed wrote under `<dir>/demo`, parsed. */
  read<T = any>(file: string): T;
}

let running: Promise<Demo> | undefined;
let child: ChildProcess | undefined;
let demoDir: string | undefined;

/**
 * One `pmh start` for every browser walk in this process (the test runner puts the files that call
 * it in one process): starting the demo is the dearest step of those files, and each walk uses its
 * own residents, officers and clinic, so they can share one. The demo is killed when the process
 * exits; a walk must not stop it. Rejects (with what the launcher printed) when it does not get
 * ready within `timeoutMs`.
 */
export function sharedDemo(timeoutMs = 420_000): Promise<Demo> {
  running ??= startDemo(timeoutMs);
  return running;
}

async function startDemo(timeoutMs: number): Promise<Demo> {
  const dir = tempDir('pmh-demo-');
  demoDir = dir;
  const names = ['hub', 'idserver', 'oqs', 'portal', 'clinic'] as const;
  const ports = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await freePort()] as const))) as Record<(typeof names)[number], number>;
  const env = {
    ...process.env,
    PMH_LOG_LEVEL: 'warn',
    PMH_DATA_DIR: dir,
    ...Object.fromEntries(names.map((n) => [`PMH_${n.toUpperCase()}_PORT`, String(ports[n])])),
  };
  const launcher = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child = launcher;
  // Not a reason for this process to stay up: it is killed on exit (below), after the last test.
  launcher.unref();
  for (const s of [launcher.stdout!, launcher.stderr!]) (s as unknown as { unref(): void }).unref();
  let out = '';
  launcher.stdout!.on('data', (d) => (out += d));
  launcher.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`pmh start did not get ready in ${timeoutMs / 1000} s: ${out}`)), timeoutMs);
    launcher.stdout!.on('data', () => out.includes('Stop with Ctrl-C') && (clearTimeout(t), resolve()));
    launcher.on('exit', (c) => (clearTimeout(t), reject(new Error(`pmh start exited ${c}: ${out}`))));
  });
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    dir,
    urls: Object.fromEntries(names.map((n) => [n, url(ports[n])])) as Demo['urls'],
    output: () => out,
    read: (file) => JSON.parse(fs.readFileSync(path.join(dir, 'demo', file), 'utf8')),
  };
}

process.once('exit', () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (demoDir) fs.rmSync(demoDir, { recursive: true, force: true });
});
