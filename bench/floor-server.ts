/**
 * The machine's HTTP floor: a plain node:http server that reads the request body and answers
 * with pre-rendered bytes held in memory, chosen by the `x-floor` request header.
 * Usage: node dist/bench/floor-server.js PORT DIR   (DIR holds KEY.STATUS files)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const port = Number(process.argv[2]);
const dir = process.argv[3]!;
const cache = new Map<string, { status: number; body: Buffer }>();

function lookup(key: string): { status: number; body: Buffer } | undefined {
  let hit = cache.get(key);
  if (hit) return hit;
  const prefix = `${encodeURIComponent(key)}.`;
  const file = readdirSync(dir).find((f) => f.startsWith(prefix) && /^\d{3}$/.test(f.slice(prefix.length)));
  if (!file) return undefined;
  hit = { status: Number(file.slice(prefix.length)), body: readFileSync(join(dir, file)) };
  cache.set(key, hit);
  return hit;
}

const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    const key = req.headers['x-floor'];
    const hit = typeof key === 'string' ? lookup(key) : undefined;
    if (!hit) {
      res.writeHead(req.method === 'OPTIONS' ? 200 : 404, { 'Content-Length': '0' });
      res.end();
      return;
    }
    res.writeHead(hit.status, {
      'Content-Type': 'application/xml; charset=utf-8',
      'Content-Length': String(hit.body.length),
    });
    res.end(hit.body);
  });
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
