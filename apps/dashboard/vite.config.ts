// Vite build of the dashboard: Preact JSX, output in dist/ (served by the API at /); `vite` dev server proxies the API.

import { defineConfig } from 'vite';

/** The API the dev server forwards to (`npm start` listens there by default). */
const apiOrigin = process.env.SM_DASHBOARD_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 300 },
  server: {
    proxy: Object.fromEntries(['/v1', '/health'].map((path) => [path, { target: apiOrigin }])),
  },
});
