/** Replays the CardDAV request sequences of real clients (fixtures/client-requests.ts). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { APPLE_CONTACTS, DAVX5, EVOLUTION, THUNDERBIRD, type ReplayStep } from './fixtures/client-requests.js';

const BOOK = '/dav/addressbooks/alice/default/';

describe('interop: replayed CardDAV client sessions', () => {
  let server: TestServer;
  let dav: ReturnType<typeof davFetch>;
  before(async () => {
    server = await startTestServer();
    dav = davFetch(server.url, 'alice');
  });
  after(async () => server.close());

  async function currentToken(): Promise<string> {
    const res = await dav(BOOK, {
      method: 'PROPFIND',
      headers: { Depth: '0' },
      body: '<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
    });
    return /<D:sync-token>([^<]+)</.exec(await res.text())?.[1] ?? '';
  }

  async function replay(steps: readonly ReplayStep[]): Promise<void> {
    let token = await currentToken();
    for (const step of steps) {
      const fill = (s: string) =>
        s
          .replace(/\{BOOK\}/g, BOOK)
          .replace(/\{HOME\}/g, '/dav/addressbooks/alice/')
          .replace(/\{PRINCIPAL\}/g, '/dav/principals/users/alice/')
          .replace(/\{TOKEN\}/g, token);
      const res = await dav(fill(step.path), {
        method: step.method,
        headers: step.headers,
        ...(step.body !== undefined ? { body: fill(step.body) } : {}),
      });
      const text = await res.text();
      assert.equal(res.status, step.expectStatus, `${step.name}: ${text}`);
      for (const want of step.expect ?? [])
        assert.ok(text.includes(want), `${step.name}: expected ${want} in\n${text}`);
      if (step.method === 'REPORT' && /sync-collection/.test(step.body ?? ''))
        token = /<D:sync-token>([^<]+)</.exec(text)?.[1] ?? token;
    }
  }

  // Order matters: DAVx5 reads Apple's card, both clients share one address book.
  it('macOS / iOS Contacts', () => replay(APPLE_CONTACTS));
  it('DAVx5 (sees the Mac card in vCard 4)', () => replay(DAVX5));
  it('Thunderbird (built-in CardDAV address book)', () => replay(THUNDERBIRD));
  it('Evolution', () => replay(EVOLUTION));
});
