import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { PushAnswer, PushTransport } from '../push/delivery.js';
import type { PushRequest } from '../push/web-push-request.js';
import { AddressRefused, checkAddresses, checkConnectedAddress, policyLookup } from './app/address-policy.js';

export interface PushTransportOptions {
  /** The whole request must be answered within this. */
  readonly timeoutMs: number;
  /**
   * Test-only: a push service on a loopback address, over plain HTTP, is allowed (tests run one
   * on 127.0.0.1). Off in every real server: push services are external HTTPS endpoints.
   */
  readonly allowLoopbackHttp: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function retryAfter(value: string | string[] | undefined): number | undefined {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Hands push messages to push services (RFC 8030 §5) under the relay's address policy
 * (http/app/address-policy.ts, as calendar subscriptions use it): https only, and never a
 * loopback, private or own address — a name is judged when it is resolved at connect time and
 * the connected socket once more, so a push resource cannot turn the server on its own network.
 * Connections are kept alive per push service: a change with 1,000 subscriptions on one push
 * service reuses a few sockets.
 */
export function pushTransport(options: PushTransportOptions): PushTransport {
  const lookup = policyLookup(false);
  const agents = {
    'https:': new HttpsAgent({ keepAlive: true, maxSockets: 64, lookup }),
    'http:': new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  };
  const allowed = (host: string, address: string | undefined): void => {
    if (options.allowLoopbackHttp && LOOPBACK.test(address ?? '')) return;
    checkConnectedAddress(host, address, false);
  };
  return (push: PushRequest) =>
    new Promise<PushAnswer>((resolve) => {
      const url = push.endpoint;
      const literal = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      try {
        if (
          url.protocol !== 'https:' &&
          !(options.allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK.test(literal))
        )
          throw new AddressRefused(`${url.origin} is not an https push service`);
        if (isIP(literal) && !(options.allowLoopbackHttp && LOOPBACK.test(literal)))
          checkAddresses(url.hostname, [literal], false);
      } catch (refused) {
        console.error(`push: ${(refused as Error).message}`);
        resolve({ status: 0, refused: true });
        return;
      }
      const fn = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = fn(
        url,
        {
          method: 'POST',
          headers: push.headers,
          agent: agents[url.protocol as 'https:' | 'http:'],
          timeout: options.timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, retryAfterS: retryAfter(res.headers['retry-after']) }),
          );
          res.on('error', () => resolve({ status: 0 }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
      req.on('socket', (socket) => {
        const judge = (): void => {
          try {
            allowed(url.hostname, socket.remoteAddress);
          } catch (refused) {
            req.destroy(refused as Error);
          }
        };
        if (socket.connecting) socket.once('connect', judge);
        else judge();
      });
      req.on('error', (err) => {
        if (!(err instanceof AddressRefused)) console.error(`push: ${url.origin}: ${err.message}`);
        resolve({ status: 0, refused: err instanceof AddressRefused });
      });
      req.end(push.body);
    });
}
