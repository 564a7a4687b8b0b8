import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';

/**
 * A stand-in for the peer a service's outbox delivers to, for tests of one service alone: an OAuth
 * token endpoint that hands out a token, and one POST route that records every attempt and, by
 * `mode`, answers (`ok`), is down (503), refuses the batch (400, with a detail quoting the input,
 * as a careless counterpart might: it must not reach the outbox's error), or holds the request
 * until `release()` (a delivery in flight). Subclasses decide what an accepted batch answers.
 */
export class FakePeer<L> {
  mode: 'ok' | 'down' | 'refuse' | 'hold' = 'ok';
  /** Sent as Retry-After with a 503 (`down`): a peer whose database is away says when to come back. */
  retryAfter?: string;
  /** Raw bodies of every request to the route, whatever was answered. */
  readonly attempts: string[] = [];
  /** Items of the batches answered 2xx, in order. */
  readonly delivered: L[] = [];
  readonly authorizations: string[] = [];
  url = '';
  private server!: http.Server;
  private held: Array<() => void> = [];

  constructor(private readonly path: string) {}

  /** What an accepted batch answers; by default `{ accepted: n }`. */
  protected answer(links: L[]): unknown {
    this.delivered.push(...links);
    return { accepted: links.length };
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const send = (status: number, body: unknown, type = 'application/json') => {
          res.writeHead(status, { 'content-type': type, ...(status === 503 && this.retryAfter ? { 'retry-after': this.retryAfter } : {}) });
          res.end(JSON.stringify(body));
        };
        if (req.method === 'POST' && req.url === '/oauth/token') {
          return send(200, { access_token: `fake.${crypto.randomUUID()}`, token_type: 'Bearer', expires_in: 600 });
        }
        if (req.method === 'POST' && req.url === this.path) {
          this.attempts.push(text);
          this.authorizations.push(String(req.headers.authorization ?? ''));
          if (this.mode === 'down') return send(503, { type: 'about:blank', title: 'Service Unavailable', status: 503 }, 'application/problem+json');
          if (this.mode === 'refuse')
            return send(400, { type: 'about:blank', title: 'Bad Request', status: 400, detail: `refused ${text}` }, 'application/problem+json');
          const accept = () => send(200, this.answer((JSON.parse(text) as { links: L[] }).links));
          if (this.mode === 'hold') return void this.held.push(accept);
          return accept();
        }
        send(404, { title: 'Not Found', status: 404 });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Answers the held requests and stops holding. */
  release(): void {
    this.mode = 'ok';
    for (const answer of this.held.splice(0)) answer();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** Polls `probe` until it gives a value; throws naming `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
