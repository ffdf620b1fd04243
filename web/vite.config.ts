import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The browser app: built into dist/web, which `almanac serve` serves at `/`. */
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npx vite web` during development: the API and DAV go to a running `almanac serve`.
    proxy: { '/dav': 'http://127.0.0.1:8080', '/app': 'http://127.0.0.1:8080', '/relay': 'http://127.0.0.1:8080' },
  },
});
