/**
 * The one-machine HA topology of deploy/local (etcd, Patroni with PostgreSQL 15, HAProxy) as the
 * HA test drives it: brought up and torn down by the same scripts an operator runs, faults made
 * with deploy/local/node.sh, and the cluster watched through Patroni's REST API.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

const DEPLOY = path.resolve(import.meta.dirname, '..');
const LOCAL = path.join(DEPLOY, 'local');
const PG_BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
/** Debian's packages for the topology (the machine's PostgreSQL 15 server binaries included). */
export const PACKAGES = ['patroni', 'etcd-server', 'etcd-client', 'haproxy', 'postgresql-15', 'curl'];
const COMMANDS = ['etcd', 'etcdctl', 'patroni', 'patronictl', 'haproxy', 'psql', 'curl'];

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function missing(): string[] {
  return [...COMMANDS.filter((c) => !onPath(c)), ...(fs.existsSync(path.join(PG_BIN, 'postgres')) ? [] : [path.join(PG_BIN, 'postgres')])];
}

/**
 * Installs what the topology needs with apt-get when it is missing (as root, on Debian), and says
 * why the HA test cannot run here when it cannot; undefined when everything is in place.
 */
export function prepareMachine(log: (m: string) => void): string | undefined {
  if (process.platform !== 'linux') return 'Linux only (PostgreSQL, Patroni, etcd and HAProxy run as local processes)';
  if (missing().length === 0) return undefined;
  const root = process.getuid?.() === 0;
  if (!root || !onPath('apt-get'))
    return `missing ${missing().join(', ')}; install them (Debian: apt-get install -y ${PACKAGES.join(' ')}) or run as root on Debian`;
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', ...PACKAGES], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  log(`installing ${PACKAGES.join(' ')} (apt-get)`);
  let r = install();
  if (r.status !== 0) {
    log('apt-get install failed; apt-get update and again');
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore' });
    r = install();
  }
  if (r.status !== 0 || missing().length > 0)
    return `apt-get could not install ${PACKAGES.join(' ')} (missing ${missing().join(', ')}): ${String(r.stderr).trim().split('\n').slice(-3).join(' / ')}`;
  if (spawnSync('id', ['-u', 'postgres']).status !== 0) return 'running as root and there is no postgres user to run PostgreSQL as';
  return undefined;
}

/**
 * Whether this machine lets the test put each member in a network namespace of its own (root,
 * iproute2, namespaces and bridges allowed), so that a member can be cut off the network; the reason
 * when not.
 */
export function networkNamespacesUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  if (!onPath('ip')) return 'no ip (iproute2)';
  const probe = `pmhprobe${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.status !== 0) return `ip netns add refused: ${r.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  const b = spawnSync('ip', ['link', 'add', probe, 'type', 'bridge'], { encoding: 'utf8' });
  if (b.status !== 0) return `ip link add … type bridge refused: ${b.stderr.trim()}`;
  spawnSync('ip', ['link', 'del', probe]);
  return undefined;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** The offsets deploy/local/lib.sh gives each port from the base: HAProxy's, then the members'. */
const HAPROXY_OFFSETS = [0, 1, 2];
const MEMBER_OFFSETS = [11, 12, 13, 21, 22, 23, 31, 32, 33, 41, 42, 43];

/**
 * A base port whose every port of the topology this machine's loopback must have is free (none of
 * them is 5432: the machine's cluster); in namespaces the members have ports of their own, but the
 * base also names the namespaces, the bridge and the subnet, which must not exist yet.
 */
async function freeBasePort(netns: boolean): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + 50 * Math.floor(Math.random() * 600);
    const offsets = netns ? HAPROXY_OFFSETS : [...HAPROXY_OFFSETS, ...MEMBER_OFFSETS];
    if (!(await Promise.all(offsets.map((o) => portFree(base + o)))).every(Boolean)) continue;
    if (netns && spawnSync('ip', ['link', 'show', `pmh${base}br`], { stdio: 'ignore' }).status === 0) continue;
    // deploy/local/lib.sh's default subnet for this base must not be routed here already.
    if (netns && spawnSync('ip', ['route'], { encoding: 'utf8' }).stdout.includes(`10.254.${Math.floor(base / 50) % 250}.`)) continue;
    return base;
  }
  throw new Error('no free range of ports found for the topology');
}

export interface Member {
  name: string;
  role: string;
  state: string;
  timeline?: number;
  lag?: number | string;
}

/** Runs a command to its end without blocking the event loop (the services' load runs meanwhile). */
function run(cmd: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code}:\n${out.slice(-3000)}`))));
  });
}

export class LocalTopology {
  private constructor(
    readonly dir: string,
    readonly basePort: number,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * Brings the topology up (deploy/local/up.sh) in a new temporary directory on free ports; with
   * `netns`, each member in a network namespace of its own (HA_NETNS=1), so that it can be cut off.
   */
  static async up(timing: { ttl: number; loopWait: number; retryTimeout: number }, opts: { netns?: boolean } = {}): Promise<LocalTopology> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmh-ha-'));
    const basePort = await freeBasePort(!!opts.netns);
    const env = {
      HA_DIR: dir,
      HA_BASE_PORT: String(basePort),
      HA_NETNS: opts.netns ? '1' : '0',
      HA_TTL: String(timing.ttl),
      HA_LOOP_WAIT: String(timing.loopWait),
      HA_RETRY_TIMEOUT: String(timing.retryTimeout),
    };
    const t = new LocalTopology(dir, basePort, env);
    // Whatever ends this process, the topology goes with it (synchronously: only that runs at exit).
    process.once('exit', t.downAtExit);
    try {
      await run(path.join(LOCAL, 'up.sh'), [], env);
    } catch (e) {
      await t.down();
      throw e;
    }
    return t;
  }

  private readonly downAtExit = () => {
    if (fs.existsSync(path.join(this.dir, 'topology.env')))
      spawnSync(path.join(LOCAL, 'down.sh'), [], { env: { ...process.env, ...this.env }, stdio: 'ignore' });
  };

  /** Stops every process of the topology and deletes its directory (deploy/local/down.sh), or keeps it (logs, data). */
  async down(opts: { keep?: boolean } = {}): Promise<void> {
    process.removeListener('exit', this.downAtExit);
    await run(path.join(LOCAL, 'down.sh'), opts.keep ? ['--keep'] : [], this.env);
  }

  /** `KEY=value` lines of one of the topology's files (pmh.env: the services' URLs; secrets.env). */
  private file(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const line of fs.readFileSync(path.join(this.dir, name), 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
      if (m) out[m[1]] = m[2];
    }
    return out;
  }

  /** `PMH_<SERVICE>_DATABASE_URL` of each service: its own role and database, through HAProxy's primary port. */
  databaseUrls(): Record<string, string> {
    return this.file('pmh.env');
  }

  /** A member's address: 127.0.0.1, or its own in its namespace. */
  address(member: number): string {
    return this.file('topology.env')[`NODE${member}_ADDR`];
  }

  /** The superuser's URL of a database: through HAProxy's primary port, or straight to one member. */
  superuserUrl(database: string, member?: number): string {
    const host = member === undefined ? '127.0.0.1' : this.address(member);
    const port = member === undefined ? this.basePort : this.basePort + 30 + member;
    return `postgres://postgres:${this.file('secrets.env').PG_SUPERUSER_PASSWORD}@${host}:${port}/${database}`;
  }

  /** HAProxy's read-only port (the replicas). */
  replicaUrl(database: string): string {
    return `postgres://postgres:${this.file('secrets.env').PG_SUPERUSER_PASSWORD}@127.0.0.1:${this.basePort + 1}/${database}`;
  }

  private api(member: number): string {
    return `http://${this.address(member)}:${this.basePort + 40 + member}`;
  }

  /** Patroni's REST API answer (status code) for a health endpoint of a member; 0 when nobody answers. */
  private async health(member: number, endpoint: string): Promise<number> {
    try {
      const r = await fetch(this.api(member) + endpoint, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      return r.status;
    } catch {
      return 0;
    }
  }

  /** The member Patroni calls the primary (GET /primary answers 200), if any. */
  async leader(): Promise<number | undefined> {
    const answers = await Promise.all([1, 2, 3].map((m) => this.health(m, '/primary')));
    const i = answers.indexOf(200);
    return i < 0 ? undefined : i + 1;
  }

  /** The synchronous standby (GET /sync answers 200), if any. */
  async syncStandby(): Promise<number | undefined> {
    const answers = await Promise.all([1, 2, 3].map((m) => this.health(m, '/sync')));
    const i = answers.indexOf(200);
    return i < 0 ? undefined : i + 1;
  }

  /** The cluster as any member that answers sees it (Patroni's GET /cluster). */
  async members(): Promise<Member[]> {
    for (const m of [1, 2, 3]) {
      try {
        const r = await fetch(`${this.api(m)}/cluster`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) return ((await r.json()) as { members: Member[] }).members;
      } catch {
        /* that member is down: ask the next */
      }
    }
    return [];
  }

  /** Waits until one member is primary and the two others stream from it, one synchronously. */
  async untilHealthy(timeoutMs = 180_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const [primary, replicas, sync] = await Promise.all(
        ['/primary', '/replica', '/sync'].map(async (e) => (await Promise.all([1, 2, 3].map((m) => this.health(m, e)))).filter((s) => s === 200).length),
      );
      const members = await this.members();
      const timelines = new Set(members.map((m) => m.timeline));
      if (primary === 1 && replicas === 2 && sync >= 1 && members.length === 3 && timelines.size === 1 && members.every((m) => m.state === 'running')) return;
      if (Date.now() > end) throw new Error(`the cluster did not become healthy: ${JSON.stringify(members)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** SIGKILL of some of a member's processes (deploy/local/node.sh kill): as a crash, nothing runs its shutdown. */
  async kill(member: number, what: Array<'postgres' | 'patroni' | 'etcd'>): Promise<void> {
    await run(path.join(LOCAL, 'node.sh'), ['kill', String(member), ...what], this.env);
  }

  /** Starts a member's etcd and Patroni again (deploy/local/node.sh start); it rejoins as a replica. */
  async start(member: number): Promise<void> {
    await run(path.join(LOCAL, 'node.sh'), ['start', String(member)], this.env);
  }

  /** Cuts a member off the network, its processes running on (deploy/local/node.sh partition; namespaces only). */
  async partition(member: number): Promise<void> {
    await run(path.join(LOCAL, 'node.sh'), ['partition', String(member)], this.env);
  }

  /** Connects a cut-off member again (deploy/local/node.sh heal). */
  async heal(member: number): Promise<void> {
    await run(path.join(LOCAL, 'node.sh'), ['heal', String(member)], this.env);
  }

  /** A planned switchover to `candidate`, as an operator makes it (patronictl switchover). */
  async switchover(from: number, candidate: number): Promise<void> {
    await run(
      'patronictl',
      ['-c', path.join(this.dir, `node${candidate}`, 'patroni.yml'), 'switchover', '--leader', `pg${from}`, '--candidate', `pg${candidate}`, '--force'],
      this.env,
    );
  }
}
