import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

/**
 * Two apps, built one at a time (`--mode clinic`, `--mode portal`) into dist/<app>/: each is served
 * at `/` of its own service (packages/core/src/http/pages.ts), so each has its own index.html and
 * hashed assets. `npm run dev:<app>` serves one with hot reload, its API proxied to the running service.
 */
const APPS = { clinic: 7500, portal: 7400, console: 7100 } as const;
/** Where each app is served on its service: the console under the hub's /console/. */
const BASES: Partial<Record<keyof typeof APPS, string>> = { console: '/console/' };

export default defineConfig(({ mode }) => {
  if (!(mode in APPS)) throw new Error(`unknown app "${mode}": use --mode clinic or --mode portal`);
  const app = mode as keyof typeof APPS;
  const port = process.env[`PMH_${app.toUpperCase()}_PORT`] ?? String(APPS[app]);
  return {
    root: path.resolve(import.meta.dirname, 'src', app),
    base: BASES[app] ?? '/',
    publicDir: path.resolve(import.meta.dirname, 'public'),
    plugins: [react(), tailwindcss()],
    build: {
      outDir: path.resolve(import.meta.dirname, 'dist', app),
      emptyOutDir: true,
      // Every browser we serve supports modulepreload; the polyfill would only add bytes.
      modulePreload: { polyfill: false },
      reportCompressedSize: true,
    },
    server: {
      proxy:
        app === 'console'
          ? { '/console/v1': `http://127.0.0.1:${port}`, '/municipal/v1': `http://127.0.0.1:${port}` }
          : { [`/${app}/v1`]: `http://127.0.0.1:${port}` },
    },
  };
});
