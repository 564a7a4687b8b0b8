import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Ports handed out, machine-wide: test files run in parallel processes, and a port found free
 * here is listened on only later (a world first makes its databases), so another process could be
 * handed the same port meanwhile. Each port handed out is reserved by a file naming this process,
 * until it exits; a reservation of a process that is gone is free again.
 */
const RESERVATIONS = path.join(os.tmpdir(), `pmh-test-ports-${os.userInfo().uid}`);
const mine: string[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function reserve(port: number): boolean {
  const file = path.join(RESERVATIONS, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      if (mine.length === 0) process.once('exit', () => mine.forEach((f) => fs.rmSync(f, { force: true })));
      mine.push(file);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner === process.pid || (owner > 0 && alive(owner))) return false;
      fs.rmSync(file, { force: true }); // its process is gone
    }
  }
  return false;
}

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A port nothing listens on now and no other test process has been handed. */
export async function freePort(): Promise<number> {
  fs.mkdirSync(RESERVATIONS, { recursive: true });
  for (let i = 0; i < 100; i++) {
    const port = await unusedPort();
    if (reserve(port)) return port;
  }
  throw new Error('no free port found in 100 tries');
}
