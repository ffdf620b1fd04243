import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DavResponse } from '../dav/core/context.js';
import { producedBytesOf } from '../dav/core/response.js';
import { utf8Of } from '../dav/core/utf8-pieces.js';

/**
 * A produced body is buffered up to this many characters before the status line is committed:
 * most answers fit and go out with a Content-Length (and an error raised while producing them
 * can still become an error response); a larger one is sent chunked as it is produced.
 */
export const BUFFER_BEFORE_STREAMING = 1024 * 1024;

/**
 * While streaming, production pauses once this many bytes wait in the socket's buffer (the
 * socket's own 16 KB mark would pause it for every piece): memory per response stays bounded.
 */
const STREAM_HIGH_WATER = 1024 * 1024;

/** A produced body failed before anything was sent: the caller answers with an error instead. */
export class BodyFailedBeforeSend extends Error {
  constructor(readonly reason: unknown) {
    super('the response body failed before it was sent');
  }
}

function isProduced(body: DavResponse['body']): body is AsyncIterable<string> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

function writeWhole(req: IncomingMessage, res: ServerResponse, r: DavResponse, body: Uint8Array | undefined): void {
  const headers: Record<string, string> = { ...r.headers };
  if (body !== undefined) headers['Content-Length'] = String(body.byteLength);
  else if (r.status !== 204 && r.status !== 304 && !('Content-Length' in headers)) headers['Content-Length'] = '0';
  res.writeHead(r.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Resolves when the socket can take more; false when the client went away or read nothing for `stallMs`. */
function drained(res: ServerResponse, stallMs: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onDrain = (): void => finish(true);
    const onClose = (): void => finish(false);
    const timer = setTimeout(() => finish(false), stallMs);
    function finish(ok: boolean): void {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    }
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/**
 * Write a handler's answer. A produced body is read with back-pressure (never faster than the
 * client takes it) and abandoned if the client disconnects or reads nothing for `stallMs`. A failure before the status line
 * was sent throws BodyFailedBeforeSend; after it, the connection is cut so that the client
 * sees a truncated answer rather than a wrong complete one.
 */
export async function sendResponse(
  req: IncomingMessage,
  res: ServerResponse,
  r: DavResponse,
  stallMs = 60_000,
): Promise<void> {
  const body = r.body;
  if (!isProduced(body)) {
    writeWhole(
      req,
      res,
      r,
      body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    );
    return;
  }
  const it = body[Symbol.asyncIterator]();
  const head: string[] = [];
  let size = 0;
  let finished = false;
  try {
    while (size < BUFFER_BEFORE_STREAMING) {
      const next = await it.next();
      if (next.done) {
        finished = true;
        break;
      }
      head.push(next.value);
      size += next.value.length;
    }
  } catch (err) {
    throw new BodyFailedBeforeSend(err);
  }
  if (finished || req.method === 'HEAD') {
    if (!finished) await it.return?.();
    // The answer cache encoded the same finished body to keep it: those bytes, not a second encoding.
    writeWhole(req, res, r, (finished ? producedBytesOf(body) : null) ?? utf8Of(head));
    return;
  }
  const headers: Record<string, string> = { ...r.headers };
  delete headers['Content-Length'];
  res.writeHead(r.status, headers); // no length: Node sends Transfer-Encoding: chunked
  try {
    res.write(utf8Of(head));
    for (;;) {
      if (res.writableLength > STREAM_HIGH_WATER && !(await drained(res, stallMs))) {
        // Gone, or not reading: a slow-read client must not hold the answer (and the kernel's
        // buffers) open for ever. A reset, not a FIN queued behind megabytes it will not read.
        if (res.socket && !res.socket.destroyed) res.socket.resetAndDestroy();
        else res.destroy();
        await it.return?.();
        return;
      }
      if (res.destroyed) {
        await it.return?.();
        return;
      }
      const next = await it.next();
      if (next.done) break;
      res.write(next.value);
    }
    res.end();
  } catch (err) {
    console.error(`error while streaming ${req.method} ${req.url}:`, err);
    res.destroy();
  }
}
