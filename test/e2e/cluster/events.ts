/** A browser's event stream (the web app's /app/events) on one node, for the cluster tests. */
import assert from 'node:assert/strict';
import { EventLog } from '../../helpers/event-log.js';

/** A browser's event stream: logs in (web session) on `base` and counts `change` events by href. */
export async function openEvents(base: string): Promise<{ changes(href: string): number; close(): void }> {
  const login = await fetch(`${base}/app/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'alice', password: 'alice-pw' }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const log = await EventLog.open(base, (login.headers.get('set-cookie') ?? '').split(';')[0]!);
  const changes = (href: string): number =>
    log.events.filter((e) => e.event === 'change' && e.data === JSON.stringify({ href })).length;
  return { changes, close: () => log.close() };
}
