/**
 * Push per instance (issue #17 item 1): the web app's change stream announces a change in a
 * calendar shared with the user under the user's instance href, as it announces the user's own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { makeCalendar, shareAndAccept } from './sharing-steps.js';

const SHARED = '/dav/calendars/alice/work/';

/** Open bob's change stream, run `act` once it says hello, and give the first change's href. */
async function firstChange(server: TestServer, cookie: string, act: () => Promise<void>): Promise<string> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 3000);
  const res = await fetch(`${server.url}/app/events`, { headers: { Cookie: cookie }, signal: abort.signal });
  const text = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let seen = '';
  try {
    for (let chunk = await text.read(); !chunk.done; chunk = await text.read()) {
      const wasHello = seen.includes('event: hello');
      seen += chunk.value;
      if (!wasHello && seen.includes('event: hello')) await act();
      const href = /event: change\ndata: (\{.*\})/.exec(seen)?.[1];
      if (href) return (JSON.parse(href) as { href: string }).href;
    }
    throw new Error('the stream ended');
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

describe('push per instance: the change stream names the sharee’s instance', () => {
  let server: TestServer;
  let instance = '';
  before(async () => {
    server = await startTestServer();
    await makeCalendar(server.url, 'alice', SHARED, 'Work');
    instance = await shareAndAccept(server.url, 'alice', SHARED, 'bob', 'read');
  });
  after(async () => server.close());

  it('the owner’s write into the shared calendar reaches the sharee as a change of their instance', async () => {
    const login = await fetch(`${server.url}/app/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: 'bob', password: 'bob-pw' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const href = await firstChange(server, cookie, async () => {
      const put = await davFetch(server.url, 'alice')(`${SHARED}p.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body:
          'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:p\r\nDTSTAMP:20260101T000000Z\r\n' +
          'DTSTART:20260105T100000Z\r\nSUMMARY:p\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
      });
      assert.equal(put.status, 201);
    });
    assert.equal(href, instance);
  });
});
