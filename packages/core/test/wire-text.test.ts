import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { DateIn, Key, Text, Yen } from '@pmh/protocol';
import { createApp, type App } from '../src/http/app.ts';
import { createLogger, LogCapture } from '../src/http/logging.ts';

/**
 * The wire's text rule in the HTTP base every service is built on (protocol text.ts, core
 * createApp): its formats checked by Fastify's validator with plain-words field errors, and the
 * backstop that keeps what PostgreSQL cannot hold (U+0000, an unpaired surrogate) from any handler
 * even when a route's schema forgot the rule.
 */
describe('the wire text rule in every service’s HTTP base', () => {
  const logs = new LogCapture();
  let app: App;
  let url: string;
  const handled: unknown[] = [];

  before(async () => {
    app = await createApp({ service: 'wire-test', logger: createLogger({ service: 'wire-test', destination: logs, level: 'info' }) });
    // A route whose schema forgot the rule: plain strings, a free-form object.
    app.post(
      '/forgot/:id',
      {
        config: { access: 'public' },
        schema: {
          params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
          querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }),
          body: Type.Object({ note: Type.String({ maxLength: 100 }), extra: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
        },
      },
      async (req) => (handled.push(req.body), { ok: true }),
    );
    // A route that keeps its body for later, checking each part itself.
    app.post(
      '/later',
      { config: { access: 'public', textCheckedLater: true }, schema: { body: Type.Array(Type.Unknown()) } },
      async (req) => (handled.push(req.body), { ok: true }),
    );
    // A route that follows the rule.
    app.post(
      '/ruled',
      {
        config: { access: 'public' },
        schema: {
          body: Type.Object(
            {
              name: Text({ maxLength: 20 }),
              body: Type.Optional(Text({ maxLength: 200, multiline: true })),
              key: Type.Optional(Key()),
              yen: Type.Optional(Yen('an amount')),
              born: Type.Optional(DateIn('birth', 'a birth date')),
              valid: Type.Optional(DateIn('service', 'a validity date')),
            },
            { additionalProperties: false },
          ),
        },
      },
      async () => ({ ok: true }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(() => app.close());

  const post = async (path: string, body: unknown) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text), type: res.headers.get('content-type') };
  };
  const pointers = (r: { body: { errors?: Array<{ pointer: string }> } }) => (r.body.errors ?? []).map((e) => e.pointer);

  it('backstop: U+0000 or a lone surrogate anywhere in body, query or path is 400 naming the place, before the handler', async () => {
    const n = handled.length;
    for (const [path, body, pointer] of [
      ['/forgot/a', { note: 'x\u0000' }, '/note'],
      ['/forgot/a', { note: 'x\ud800' }, '/note'],
      ['/forgot/a', { note: 'x', extra: { deep: [{ deeper: ['\udfff'] }] } }, '/extra/deep/0/deeper/0'],
      ['/forgot/a', { note: 'x', extra: { 'bad\u0000name': 1 } }, '/extra'],
      ['/forgot/a%00b', { note: 'x' }, '/params/id'],
      ['/forgot/a?q=%00', { note: 'x' }, '/querystring/q'],
    ] as const) {
      const r = await post(path, body);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)}: ${r.text}`);
      assert.match(r.type ?? '', /^application\/problem\+json/);
      assert.ok(pointers(r).includes(pointer), `${pointer}: ${r.text}`);
      assert.equal(r.text.includes('bad'), false, 'a member name is never echoed');
    }
    assert.equal(handled.length, n, 'no handler saw any of them');
    // Well-formed text, emoji (surrogate pairs) included, passes.
    assert.equal((await post('/forgot/a', { note: '𠮷田😀', extra: { k: ['ok'] } })).status, 200);
  });

  it('backstop: a route that checks its parts later (a registration task) gets its body as sent', async () => {
    const r = await post('/later', [{ name: 'x\u0000' }, { name: 'y\ud800' }]);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(handled.at(-1), [{ name: 'x\u0000' }, { name: 'y\ud800' }]);
    const q = await fetch(`${url}/later?x=%00`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    assert.equal(q.status, 400, 'its query is still checked');
  });

  it('the rule: controls, bidi controls, U+0000 and lone surrogates refused with plain words; line breaks only in multi-line text', async () => {
    for (const [body, pointer] of [
      [{ name: 'a\u0000' }, '/name'],
      [{ name: 'a\ud800' }, '/name'],
      [{ name: 'a\u0007' }, '/name'],
      [{ name: 'a\u007f' }, '/name'],
      [{ name: 'a\u009b' }, '/name'],
      [{ name: 'a\u202e' }, '/name'],
      [{ name: 'a\u2068' }, '/name'],
      [{ name: 'a\u2028' }, '/name'],
      [{ name: 'a\nb' }, '/name'],
      [{ name: 'a\tb' }, '/name'],
      [{ name: 'a', body: 'x\u0000' }, '/body'],
      [{ name: 'a', body: 'x\u202d' }, '/body'],
      [{ name: 'a', key: '' }, '/key'],
      [{ name: 'a', yen: 100_000_000 }, '/yen'],
      [{ name: 'a', yen: -1 }, '/yen'],
      [{ name: 'a', yen: 1e308 }, '/yen'],
      [{ name: 'a', yen: 1.5 }, '/yen'],
      [{ name: 'a', born: '1868-01-24' }, '/born'],
      [{ name: 'a', born: '2999-01-01' }, '/born'],
      [{ name: 'a', valid: '0001-01-01' }, '/valid'],
      [{ name: 'a', valid: '2200-01-01' }, '/valid'],
      [{ name: 'a', valid: '2025-02-30' }, '/valid'],
      [{ name: 'x'.repeat(21) }, '/name'],
    ] as const) {
      const r = await post('/ruled', body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.deepEqual(pointers(r), [pointer], r.text);
      const message = r.body.errors[0].message as string;
      assert.doesNotMatch(message, /must match format|format "/, `plain words: ${message}`);
    }
    assert.match((await post('/ruled', { name: 'a\u0000' })).body.errors[0].message, /not allowed/);
    assert.match((await post('/ruled', { name: 'a', valid: '0001-01-01' })).body.errors[0].message, /1900-01-01 to 2199-12-31/);
    assert.match((await post('/ruled', { name: 'a', yen: 1e308 })).body.errors[0].message, /at most 99,999,999/);
    const ok = await post('/ruled', {
      name: '山田　太郎',
      body: '一行目\r\n\t二行目',
      key: 'Ａ００１',
      yen: 99_999_999,
      born: '1868-01-25',
      valid: '2199-12-31',
    });
    assert.equal(ok.status, 200, ok.text);
  });

  it('a member name the caller chose is never echoed in a pointer when it holds a control or twelve digits', async () => {
    for (const name of ['983205673214', 'x\u0000', 'a\u202eb']) {
      const r = await post('/ruled', { name: 'a', [name]: 1 });
      assert.equal(r.status, 400, r.text);
      assert.deepEqual(pointers(r), [''], r.text);
      assert.equal(r.text.includes('983205673214'), false);
    }
    assert.deepEqual(pointers(await post('/ruled', { name: 'a', nickname: 1 })), ['/nickname']);
  });

  it('never answered a 5xx', () => {
    assert.deepEqual(
      logs.lines.filter((l) => /"statusCode":5\d\d/.test(l)),
      [],
    );
  });
});
