/**
 * The HAProxy configuration of a local cluster (cluster.ts). The same shape works on real
 * machines (docs/SCALING.md): round-robin per request, no stickiness, health checks on /healthz.
 */

/** Response header naming the node that answered (tests read it to see the round robin). */
const SERVED_BY = 'X-Served-By';

/** Prefix of an access log line: `req <node> <method> <uri> <status>` (see accessLog). */
export const ACCESS_LOG_PREFIX = 'req ';

/**
 * With `accessLog`, HAProxy writes one line per request to its standard output, naming the node
 * that served it: the tests read it to see where each message of a session went.
 */
export function haproxyConfig(
  port: number,
  nodes: readonly { index: number; port: number }[],
  accessLog = false,
): string {
  return [
    'global',
    '  maxconn 4096',
    ...(accessLog ? ['  log stdout format raw local0'] : []),
    '',
    'defaults',
    '  mode http',
    ...(accessLog ? ['  log global', `  log-format "${ACCESS_LOG_PREFIX}%s %HM %HU %ST"`] : []),
    '  timeout connect 2s',
    '  timeout client 5m',
    '  timeout server 5m',
    // Server-sent events and long reports: an idle upgraded or streaming connection may stay open.
    '  timeout tunnel 1h',
    '  timeout http-keep-alive 30s',
    // A node that refuses the connection (killed) is retried on another one: redispatch on
    // every retry. Only connection failures are retried here, as they never reached a node; a
    // request a node received and then died on is answered 502 and the client retries it, as
    // DAV clients do (a replayed POST could run a SyncML message twice).
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure',
    '  option forwardfor',
    // Every node down (the database unreachable fails /healthz): HAProxy answers 503 itself,
    // with Retry-After as the nodes do (RFC 9110 §10.2.3), so clients wait and try again.
    '  http-error status 503 content-type text/plain string "no node available; try again shortly" hdr Retry-After 5',
    '',
    'frontend almanac',
    `  bind 127.0.0.1:${port}`,
    '  default_backend nodes',
    '',
    'backend nodes',
    // Each request is balanced on its own, even on a kept-alive client connection: no sticky
    // sessions, so a SyncML session or a web login has to hold on any node.
    '  balance roundrobin',
    '  option httpchk GET /healthz',
    '  http-check expect status 200',
    // A node is taken out after three failed checks a second apart; a check may take 5 s (a
    // busy node answers /healthz late but is not dead: the first soak, with 500 ms checks on a
    // saturated machine, saw every node taken out at once and HAProxy answering 503 itself).
    '  timeout check 5s',
    '  default-server inter 1s fastinter 500ms downinter 500ms fall 3 rise 2',
    `  http-response set-header ${SERVED_BY} %s`,
    ...nodes.map((n) => `  server n${n.index} 127.0.0.1:${n.port} check`),
    '',
  ].join('\n');
}
