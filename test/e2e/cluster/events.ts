/** A browser's event stream (the web app's /app/events, HTML §9.2) on one node, for the cluster tests. */
import assert from 'node:assert/strict';

/** A browser's event stream: logs in (web session) on `base` and counts `change` events by href. */
export async function openEvents(base: string): Promise<{ changes(href: string): number; close(): void }> {
  const login = await fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'alice', password: 'alice-pw' }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const ctrl = new AbortController();
  const res = await fetch(`${base}/app/events`, { headers: { Cookie: cookie }, signal: ctrl.signal });
  assert.equal(res.status, 200);
  const counts = new Map<string, number>();
  let hello!: () => void;
  const ready = new Promise<void>((r) => (hello = r));
  void (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (/^event: hello$/m.test(block)) hello();
          const href = /^data: \{"href":"([^"]+)"\}$/m.exec(block)?.[1];
          if (/^event: change$/m.test(block) && href) counts.set(href, (counts.get(href) ?? 0) + 1);
        }
      }
    } catch {
      // closed
    }
  })();
  await ready;
  return { changes: (href) => counts.get(href) ?? 0, close: () => ctrl.abort() };
}
