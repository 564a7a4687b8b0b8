import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface HubProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
}

/** Runs `pmh <args>` as its own OS process and waits for its JSON "ready" line (at most `timeoutMs`, default 60 s). */
export function spawnService(args: string[], env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, PMH_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`service did not start: ${out}`)), opts.timeoutMs ?? 60_000);
    child.stdout!.on('data', () => {
      const line = out.split('\n').find((l) => l.includes('"event":"ready"'));
      if (line) {
        clearTimeout(t);
        resolve({ child, url: JSON.parse(line).url, output: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`service exited (${code}) before ready: ${out}`));
    });
  });
}

/** Stops a process: SIGKILL (no shutdown code runs, as in a crash) or SIGTERM (orderly). */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Runs `pmh <args>` to completion. */
export function runPmh(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, PMH_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
