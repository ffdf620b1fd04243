/**
 * `almanac calendar subscribe | refresh | subscriptions | birthdays` (issue #13), run in-process
 * against a temp --data store while a feed is served on loopback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { almanacInProcess } from '../../helpers/cli-in-process.js';

const almanac = (...argv: string[]) => almanacInProcess(argv);

describe('almanac calendar subscribe | refresh | subscriptions | birthdays', () => {
  let dir: string;
  let feed: Server;
  let url = '';
  let status = 200;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'almanac-subs-cli-'));
    feed = createServer((_req, res) =>
      res
        .writeHead(status, { 'Content-Type': 'text/calendar' })
        .end(
          'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:one\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20270101\r\nSUMMARY:New Year\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
        ),
    );
    await new Promise<void>((r) => feed.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/feed.ics`;
    assert.equal((await almanac('user', 'add', 'alice', '--data', dir)).code, 0);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((r) => feed.close(() => r()));
  });

  it('subscribe refuses a loopback feed unless --relay-allow-private, then fetches it', async () => {
    const refused = await almanac('calendar', 'subscribe', 'alice', url, '--name', 'Holidays', '--data', dir);
    assert.equal(refused.code, 1);
    assert.match(refused.err.join('\n'), /--relay-allow-private/);
    assert.deepEqual(
      (await almanac('calendar', 'subscriptions', 'alice', '--data', dir)).out.length,
      1,
      'nothing was created',
    );
    const r = await almanac(
      'calendar',
      'subscribe',
      'alice',
      url,
      '--name',
      'Holidays',
      '--refresh',
      'PT30M',
      '--relay-allow-private',
      '--data',
      dir,
    );
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(
      r.out.join('\n'),
      /Subscribed alice to .*: \/calendars\/alice\/holidays-[0-9a-f]{8}\n.*: 1 written, 0 deleted, 0 unchanged/,
    );
  });

  it('subscriptions lists interval, last success and last error; refresh reports a failure and keeps the data', async () => {
    const list = await almanac('calendar', 'subscriptions', 'alice', '--data', dir);
    assert.equal(list.code, 0);
    assert.match(list.out[0] ?? '', /^CALENDAR\s+URL\s+EVERY\s+LAST SUCCESS\s+LAST ERROR$/);
    const holidays = /^(holidays-[0-9a-f]{8})\s/m.exec(list.out.join('\n'))?.[1] ?? '';
    assert.ok(holidays);
    assert.match(list.out.join('\n'), /1800s\s+\d{4}-\d\d-\d\dT[\d:]+Z\s+-/);
    status = 503;
    const failed = await almanac('calendar', 'refresh', 'alice', holidays, '--relay-allow-private', '--data', dir);
    assert.equal(failed.code, 1);
    assert.match(failed.err.join('\n'), /answered 503 \(the calendar keeps its previous content\)/);
    assert.match(
      (await almanac('calendar', 'subscriptions', 'alice', '--data', dir)).out.join('\n'),
      /the server answered 503$/m,
    );
    status = 200;
    const ok = await almanac('calendar', 'refresh', 'alice', holidays, '--relay-allow-private', '--data', dir);
    assert.match(ok.out.join('\n'), /0 written, 0 deleted, 1 unchanged/);
  });

  it('birthdays on|off', async () => {
    assert.equal((await almanac('calendar', 'birthdays', 'alice', 'off', '--data', dir)).code, 0);
    assert.equal((await almanac('calendar', 'birthdays', 'alice', 'maybe', '--data', dir)).code, 2);
    assert.match(
      (await almanac('calendar', 'birthdays', 'alice', 'on', '--data', dir)).out.join(''),
      /Birthday calendar of alice: on/,
    );
  });
});
