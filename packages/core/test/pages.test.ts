import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../src/http/app.ts';
import { createLogger } from '../src/http/logging.ts';
import { servePages } from '../src/http/pages.ts';
import { tempDir } from '../../testkit/src/index.ts';

/**
 * A service's browser app at `/` (packages/web's build): index.html for the app's own paths, hashed
 * assets cached for a year, the API's paths left to the API, and a clear 503 until the app is built.
 */
describe('servePages', () => {
  const dir = tempDir('pmh-pages-');
  const built = path.join(dir, 'built');
  const logs: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
  let app: App;
  let bare: App;

  before(async () => {
    fs.mkdirSync(path.join(built, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(built, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/assets/index-abc123.js"></script>');
    fs.writeFileSync(path.join(built, 'assets', 'index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the root');

    app = await createApp({ service: 'pages-test', logger: createLogger({ service: 'pages-test', destination, level: 'warn' }) });
    app.get('/portal/v1/me', { config: { access: 'public' }, schema: { summary: 'an API route' } }, async () => ({ linked: true }));
    await servePages(app, { root: built });
    await app.ready();

    bare = await createApp({ service: 'pages-missing', logger: createLogger({ service: 'pages-missing', destination, level: 'warn' }) });
    await servePages(bare, { root: path.join(dir, 'not-built') });
    await bare.ready();
  });

  after(async () => {
    await app?.close();
    await bare?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it('answers index.html, never cached, at / and at the app’s own paths a browser opens', async () => {
    for (const url of ['/', '/notifications', '/notifications/0b7c1f7e-2a53-4a53-9a8e-2f0d0c3f5a11', '/access-log?x=1']) {
      const r = await app.inject({ method: 'GET', url, headers: html });
      assert.equal(r.statusCode, 200, url);
      assert.match(r.headers['content-type'] as string, /^text\/html/);
      assert.equal(r.headers['cache-control'], 'no-cache', url);
      assert.match(r.body, /<title>app<\/title>/);
      assert.match(r.headers['content-security-policy'] as string, /default-src 'self'/, 'the base app’s CSP still applies');
    }
  });

  it('serves hashed assets with a year’s cache, and a missing one as a plain 404', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['content-type'] as string, /javascript/);
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    const missing = await app.inject({ method: 'GET', url: '/assets/index-gone.js', headers: html });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /problem\+json/);
    assert.equal(missing.headers['cache-control'], 'no-store');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['cache-control'], 'public, max-age=3600');
  });

  it('leaves the API’s paths to the API: their unknown paths are its problem+json 404', async () => {
    assert.deepEqual((await app.inject({ method: 'GET', url: '/portal/v1/me' })).json(), { linked: true });
    for (const url of ['/portal/v1/nope', '/clinic/v1', '/municipal/v1/x/y', '/oauth/nope', '/admin/v1/x', '/docs/nope', '/healthz/x']) {
      const r = await app.inject({ method: 'GET', url, headers: html });
      assert.equal(r.statusCode, 404, url);
      assert.match(r.headers['content-type'] as string, /problem\+json/, url);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode, 200);
  });

  it('gives a client that does not ask for HTML the 404, not the page; other methods are not pages', async () => {
    const api = await app.inject({ method: 'GET', url: '/nope', headers: { accept: '*/*' } });
    assert.equal(api.statusCode, 404);
    assert.match(api.headers['content-type'] as string, /problem\+json/);
    assert.equal((await app.inject({ method: 'POST', url: '/notifications', headers: html })).statusCode, 404);
  });

  it('never serves a file outside the built app', async () => {
    for (const url of ['/assets/../../secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%2fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const r = await app.inject({ method: 'GET', url, headers: html });
      assert.ok(!r.body.includes('outside the root'), url);
    }
  });

  it('keeps its routes out of the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(Object.keys(doc.paths), ['/portal/v1/me']);
  });

  it('without a build, warns at start and answers a 503 page that says how to build', async () => {
    assert.ok(
      logs.some((l) => l.includes('web pages are not built')),
      'a warning at start',
    );
    const r = await bare.inject({ method: 'GET', url: '/', headers: html });
    assert.equal(r.statusCode, 503);
    assert.match(r.headers['content-type'] as string, /^text\/html/);
    assert.match(r.body, /npm run build:web/);
    assert.doesNotMatch(r.body, /<script|style=/, 'nothing the CSP would refuse');
    assert.equal((await bare.inject({ method: 'GET', url: '/somewhere', headers: html })).statusCode, 503);
  });
});
