import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './app.ts';

/** The browser apps built by `packages/web` (`npm run build:web`), one per service that serves pages. */
export type WebApp = 'clinic' | 'portal' | 'console';

/** Where `packages/web` puts a built app: `packages/web/dist/<app>/` (index.html, assets/). */
export function webDist(app: WebApp): string {
  return path.resolve(import.meta.dirname, '../../../web/dist', app);
}

export interface PagesOptions {
  /** The built app's directory: index.html and its hashed assets under assets/. */
  root: string;
  /** Where the app lives on the service: `/` (default) or a path such as `/console` (the app is built with that base). */
  prefix?: string;
}

/**
 * Paths that belong to the service's API and machinery, never to the pages: an unknown path there is
 * the API's 404 (problem+json), not the app's index.html.
 */
const NOT_PAGES = /^\/(?:[a-z][a-z0-9-]*\/v\d+|oauth|admin|docs|openapi\.json|healthz|readyz)(?:\/|$)/;

/** Hashed file names change with their content: a year's cache is safe. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

const NOT_BUILT = `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><title>ページを準備中です</title></head>
<body>
<h1>ページがまだ作られていません</h1>
<p>このサービスの画面はまだビルドされていません。リポジトリで <code>npm run build:web</code> を実行してから、再読み込みしてください。</p>
<p lang="en">The web pages have not been built yet. Run <code>npm run build:web</code> in the repository, then reload.</p>
</body>
</html>
`;

/** A browser navigating names text/html in Accept; an API client that takes anything gets the API's 404, not a page. */
function acceptsHtml(req: FastifyRequest): boolean {
  const accept = req.headers.accept;
  return typeof accept === 'string' && /(?:^|,)\s*text\/html\b/.test(accept);
}

/**
 * Serves a built browser app at `/` of this service (a single-page app): the hashed assets under
 * `/assets/` with a long cache, `index.html` (never cached) for `/` and for any other GET of a page
 * that the API does not own (the app routes it itself). Without a build it answers 503 with a page
 * that says how to make one. The routes are not part of the service's OpenAPI document.
 */
export async function servePages(app: App, opts: PagesOptions): Promise<void> {
  const root = path.resolve(opts.root);
  const index = path.join(root, 'index.html');
  const built = () => fs.existsSync(index);
  if (!built()) app.log.warn({ root }, 'web pages are not built: run `npm run build:web`');

  // Only the reply.sendFile decorator (it refuses paths outside the root and dotfiles); the routes are ours.
  await app.register(fastifyStatic, { root, serve: false });

  const sendIndex = (reply: FastifyReply) => {
    if (!built()) return reply.status(503).type('text/html; charset=utf-8').header('retry-after', '60').send(NOT_BUILT);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  };

  const page = { config: { access: 'public' as const }, schema: { hide: true } };
  const prefix = (opts.prefix ?? '').replace(/\/+$/, '');
  app.get(`${prefix}/assets/*`, page, (req, reply) => {
    const file = path.posix.join('assets', (req.params as { '*': string })['*']);
    // A missing asset is a plain 404, not a year-long cached one.
    if (!file.startsWith('assets/') || !fs.existsSync(path.join(root, file))) return reply.callNotFound();
    return reply.header('cache-control', ASSET_CACHE).sendFile(file, root, { cacheControl: false });
  });

  app.get(`${prefix}/`, page, (_req, reply) => sendIndex(reply));

  app.get(`${prefix}/*`, page, (req, reply) => {
    const pathname = req.url.split('?')[0]!.slice(prefix.length);
    if (NOT_PAGES.test(pathname)) return reply.callNotFound();
    // A file the build put at the top (favicon.svg): short cache, its name carries no hash.
    const top = pathname.slice(1);
    if (/^[A-Za-z0-9_-]+\.[a-z0-9]+$/.test(top) && top !== 'index.html' && fs.existsSync(path.join(root, top)))
      return reply.header('cache-control', 'public, max-age=3600').sendFile(top, root, { cacheControl: false });
    if (!acceptsHtml(req)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
