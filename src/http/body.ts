import type { IncomingMessage } from 'node:http';
import { DavError } from '../dav/index.js';

/** Read a request body, refusing more than `limit` bytes with 413 as soon as that is known. */
export function bodyReader(req: IncomingMessage): (limit: number) => Promise<Buffer> {
  let consumed: Promise<Buffer> | undefined;
  return (limit: number) => {
    consumed ??= new Promise<Buffer>((resolve, reject) => {
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > limit) {
        req.resume();
        reject(new DavError(413, `request body exceeds ${limit} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.removeAllListeners('data');
          req.resume();
          reject(new DavError(413, `request body exceeds ${limit} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks, size)));
      // A client that goes away mid-body is a bad request, not a server failure — also when it
      // went before the body was asked for (the request is then destroyed and emits nothing more).
      const gone = (): void => reject(new DavError(400, 'request body incomplete: the client went away'));
      req.on('error', gone);
      req.on('close', () => {
        if (!req.complete) gone();
      });
      if (req.destroyed && !req.complete) gone();
    });
    return consumed;
  };
}
