import { createConnection, createServer, type AddressInfo } from 'node:net';

/** A free TCP port on 127.0.0.1 (for a daemon a test starts with a private config). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once 127.0.0.1:`port` accepts a connection; throws when `exited()` or at `deadline`. */
export async function waitForListening(
  port: number,
  deadline: number,
  exited: () => boolean,
  what: string,
): Promise<void> {
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`${what} exited`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start listening in time`);
}
