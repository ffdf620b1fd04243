import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DavResponse } from '../../dav/core/context.js';
import { APP_PAGE_HEADERS } from '../security-headers.js';

/** Where `vite build` puts the web app: dist/web (this file is dist/src/http/app/static.js). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

/** GET of a file of the built app; `/` is index.html. Null when there is no such file. */
export async function serveStatic(webDir: string, urlPath: string): Promise<DavResponse | null> {
  const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.slice(1));
  const full = normalize(join(webDir, rel));
  if (!full.startsWith(normalize(webDir.endsWith(sep) ? webDir : webDir + sep))) return null;
  try {
    if (!(await stat(full)).isFile()) return null;
  } catch {
    if (urlPath === '/') {
      return {
        status: 503,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: 'The web app is not built (run npm run build). DAV lives under /dav/\n',
      };
    }
    return null;
  }
  const body = await readFile(full);
  const hashed = rel.startsWith('assets/');
  return {
    status: 200,
    headers: {
      ...APP_PAGE_HEADERS,
      'Content-Type': TYPES[extname(full)] ?? 'application/octet-stream',
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    },
    body,
  };
}
