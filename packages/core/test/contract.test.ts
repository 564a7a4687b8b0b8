import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { ApiClient, UndeclaredAnswer, endpoint, pathOf, Key, ProblemSchema } from '@pmh/protocol';
import { createApp, type App } from '../src/http/app.ts';
import { createLogger, LogCapture } from '../src/http/logging.ts';
import { serve, surface } from '../src/http/serve.ts';
import { ProblemError } from '../src/http/problem.ts';

/**
 * One contract, both ends: a route registered from its endpoint object (core `serve`) and called
 * through the same object (`ApiClient`), so its paths, schemas and answers cannot drift apart.
 */
const things = {
  put: endpoint({
    method: 'PUT',
    path: '/t/v1/things/:thingId',
    callers: ['municipality:*'],
    summary: 'Put a thing',
    params: Type.Object({ thingId: Key() }),
    querystring: Type.Object({ dryRun: Type.Optional(Type.Enum(['true', 'false'])) }, { additionalProperties: false }),
    body: Type.Object({ name: Type.String({ maxLength: 20 }), count: Type.Integer({ minimum: 0, maximum: 10 }) }, { additionalProperties: false }),
    responses: {
      200: Type.Object({ thingId: Type.String(), name: Type.String(), dryRun: Type.Boolean() }),
      400: ProblemSchema,
      401: ProblemSchema,
      409: ProblemSchema,
    },
  }),
  broken: endpoint({
    method: 'GET',
    path: '/t/v1/broken',
    callers: 'public',
    summary: 'Always fails',
    responses: { 200: Type.Object({ ok: Type.Boolean() }) },
  }),
};

describe('one contract, both ends (protocol endpoint, core serve, ApiClient)', () => {
  let app: App;
  let client: ApiClient;
  const token = 'Bearer good';

  before(async () => {
    app = await createApp({ service: 't', logger: createLogger({ service: 't', destination: new LogCapture() }), rateLimit: { enabled: false } });
    const guard = Object.assign(
      async (req: { headers: Record<string, unknown> }) => {
        if (req.headers.authorization !== token) throw new ProblemError(401, 'unauthorized', 'No.', { headers: { 'www-authenticate': 'Bearer' } });
      },
      { security: [{ bearer: ['municipality:*'] }] },
    );
    const municipal = surface(app, { access: guard, tags: ['municipal'] });
    municipal.serve(things.put, async (req) => {
      if (req.body.name === 'taken') throw new ProblemError(409, 'conflict', 'Taken.');
      return { thingId: req.params.thingId, name: req.body.name, dryRun: req.query.dryRun === 'true' };
    });
    serve(app, things.broken, { access: 'public' }, async () => {
      throw new Error('boom');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const a = app.server.address();
    client = new ApiClient(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, { authorization: async () => token });
  });
  after(() => app.close());

  it('calls a route by its endpoint: path parameters, query and body in, the typed answer out', async () => {
    const a = await client.call(things.put, { params: { thingId: 'a/b' }, query: { dryRun: 'true' }, body: { name: 'x', count: 3 } });
    assert.equal(a.status, 200);
    if (a.status === 200) assert.deepEqual(a.body, { thingId: 'a/b', name: 'x', dryRun: true });
    assert.deepEqual(await client.ok(things.put, { params: { thingId: 'k' }, body: { name: 'y', count: 0 } }), { thingId: 'k', name: 'y', dryRun: false });
  });

  it('validates by the same schema: a declared 400 answers as such, naming the field', async () => {
    const a = await client.call(things.put, { params: { thingId: 'k' }, body: { name: 'x', count: 11 } });
    assert.equal(a.status, 400);
    if (a.status === 400) assert.equal(a.body.errors?.[0]?.pointer, '/count');
    const c = await client.call(things.put, { params: { thingId: 'k' }, body: { name: 'taken', count: 1 } });
    assert.equal(c.status, 409);
  });

  it('the surface door applies to every route served through it', async () => {
    const anonymous = new ApiClient(client.baseUrl);
    assert.equal((await anonymous.call(things.put, { params: { thingId: 'k' }, body: { name: 'x', count: 1 } })).status, 401);
  });

  it('an undeclared status throws, with its status and Retry-After', async () => {
    await assert.rejects(client.call(things.broken, {}), (e: unknown) => e instanceof UndeclaredAnswer && e.status === 500);
  });

  it('documents the route from the contract: summary, tags, schemas, security', async () => {
    const doc = app.swagger() as { paths: Record<string, Record<string, { summary?: string; tags?: string[]; security?: unknown; requestBody?: unknown }>> };
    const op = doc.paths['/t/v1/things/{thingId}']!.put!;
    assert.equal(op.summary, 'Put a thing');
    assert.deepEqual(op.tags, ['municipal']);
    assert.deepEqual(op.security, [{ bearer: ['municipality:*'] }]);
    assert.ok(op.requestBody);
  });

  it('fills path parameters percent-encoded and refuses a missing one', () => {
    assert.equal(pathOf('/x/:a/y/:b', { a: 'p q', b: 1 }), '/x/p%20q/y/1');
    assert.throws(() => pathOf('/x/:a', {}), /path parameter a/);
  });
});
