/**
 * RFC 6638 §3.2.2 through SyncML: Bob invites Alice and Carol by CalDAV; Alice's phone answers in
 * real SyncML messages with the lossy copies phones send (no ORGANIZER, no other ATTENDEEs, no
 * X- properties, ATTENDEE parameters dropped, itself as ORGANIZER, vCalendar 1.0
 * ATTENDEE;STATUS=…). Her copy takes only what §3.2.2.1 lets an attendee change; the organizer
 * gets a REPLY (§3.2.2.3), never a CANCEL goes out, and a Delete on the phone declines (§3.2.2.4).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMessage } from '../../src/formats/syncml/codec.js';
import type { Item, SyncmlMessage } from '../../src/formats/syncml/model.js';
import { davFetch, startTestServer, type TestServer } from '../helpers/server.js';
import { attendee, invitation, unfold } from './invitation.js';
import { dataText, Device, itemStatuses, makeServer, serverItems } from './driver.js';

const ICAL20 = { type: 'text/calendar', version: '2.0' };
const VCAL10 = { type: 'text/x-vcalendar', version: '1.0' };
const CASES = ['no-organizer', 'dropped-params', 'self-organizer', 'vcal10', 'partstat-only', 'deleted'] as const;
type Case = (typeof CASES)[number];

/** A phone's iCalendar 2.0 copy of `uid` holding only these lines in its VEVENT. */
const phoneIcal = (uid: Case, ...lines: string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTART:20270310T100000Z', ...lines]
    .concat(['END:VEVENT', 'END:VCALENDAR', ''])
    .join('\r\n');

/**
 * The vCalendar 1.0 Replace SyncEvolution 2.0 sent when its user declined Alice's invitation
 * (golden message syncevolution-12-vcal-attendee-replace), with the roles of Alice and Bob swapped
 * for this file's invitation.
 */
function capturedVcalReply(): string {
  const xml = readFileSync(
    join(process.cwd(), 'src/formats/syncml/fixtures/parse/syncevolution-12-vcal-attendee-replace.xml'),
  );
  for (const c of decodeMessage(xml, 'xml').commands)
    if (c.kind === 'Sync')
      for (const ic of c.commands)
        for (const item of ic.items)
          return dataText(item)
            .replace(/alice@|bob@/g, (m) => (m === 'alice@' ? 'bob@' : 'alice@'))
            .replace('UID:inv-vcal', 'UID:vcal10');
  throw new Error('no item in the golden message');
}

describe('RFC 6638 §3.2.2: an attendee answers from a SyncML phone', () => {
  let t: TestServer;
  let as: Record<'alice' | 'bob' | 'carol', ReturnType<typeof davFetch>>;
  /** server GUID (member name) → phone LUID, and the copy the phone got, by case. */
  const phone = new Map<Case, { guid: string; luid: string; text: string }>();
  let anchor = 'a0';
  let sessions = 0;

  /** One two-way session of Alice's phone sending `items`; returns the server's package 4. */
  async function sync(commands: Parameters<Device['pkg3']>[0]): Promise<SyncmlMessage> {
    const next = `a${++sessions}`;
    const dev = new Device(makeServer(t.store), 'alice-phone', String(sessions));
    await dev.pkg1(null, sessions === 1 ? undefined : anchor, next);
    const pkg4 = await dev.pkg3(commands);
    const adds = serverItems(pkg4).filter((x) => x.kind === 'Add');
    await dev.pkg5(adds.map((x) => [x.item.source?.locURI ?? '', `p-${x.item.source?.locURI ?? ''}`]));
    anchor = next;
    return pkg4;
  }

  const replace = (c: Case, data: string, meta = ICAL20) => ({
    kind: 'Replace' as const,
    meta,
    items: [{ source: { locURI: phone.get(c)?.luid ?? '' }, data } satisfies Item],
  });
  const get = async (user: keyof typeof as, c: Case): Promise<{ status: number; body: string }> => {
    const res = await as[user](`/dav/calendars/${user}/default/${user === 'bob' ? `${c}.ics` : phone.get(c)?.guid}`);
    return { status: res.status, body: unfold(await res.text()) };
  };
  /** The METHODs of the iTIP messages in a user's inbox about `c`. */
  async function inbox(user: string, c: Case): Promise<string[]> {
    const box = await t.store.getResource(`/calendars/${user}/inbox`);
    if (!box) return [];
    const kids = await t.store.listChildren(box.id);
    const bodies = await t.store.readBodies(kids.map((k) => k.id));
    return kids
      .map((k) => Buffer.from(bodies.get(k.id) ?? new Uint8Array()).toString('utf8'))
      .filter((b) => b.includes(`UID:${c}\r\n`))
      .map((b) => /METHOD:(\w+)/.exec(b)?.[1] ?? '?');
  }

  before(async () => {
    t = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
    as = { alice: davFetch(t.url, 'alice'), bob: davFetch(t.url, 'bob'), carol: davFetch(t.url, 'carol') };
    for (const c of CASES) {
      const res = await as.bob(`/dav/calendars/bob/default/${c}.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: invitation(c, `Meeting ${c}`, 'bob', ['alice', 'carol']),
      });
      assert.equal(res.status, 201);
    }
    // The phone's first sync receives every invitation delivered into Alice's default calendar (§4).
    const pkg4 = await sync([]);
    for (const { item } of serverItems(pkg4)) {
      const guid = item.source?.locURI ?? '';
      const text = dataText(item);
      const c = CASES.find((x) => text.includes(`UID:${x}\r\n`));
      if (c) phone.set(c, { guid, luid: `p-${guid}`, text });
    }
    assert.equal(phone.size, CASES.length);
  });
  after(() => t.close());

  it('§3.2.2.1: a copy without ORGANIZER, other ATTENDEEs or X- properties takes only Alice’s PARTSTAT; Bob gets the REPLY, no CANCEL; the phone gets the whole copy back', async () => {
    const pkg4 = await sync([
      replace(
        'no-organizer',
        phoneIcal('no-organizer', 'SUMMARY:Meeting', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com'),
      ),
    ]);
    assert.deepEqual(itemStatuses(pkg4, 'Replace'), [200]);
    const mine = (await get('alice', 'no-organizer')).body;
    assert.match(mine, /ORGANIZER;CN=Bob:mailto:bob@example\.com/);
    assert.match(mine, /X-ORGANIZER-NOTE:kept by bob/);
    assert.match(mine, /SUMMARY:Meeting no-organizer/);
    assert.match(attendee(mine, 'carol'), /CN=Carol;PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT;RSVP=TRUE/);
    assert.match(attendee(mine, 'alice'), /PARTSTAT=ACCEPTED/);
    assert.match(
      attendee((await get('bob', 'no-organizer')).body, 'alice'),
      /PARTSTAT=ACCEPTED;.*SCHEDULE-STATUS=2\.0/,
    );
    assert.deepEqual(await inbox('bob', 'no-organizer'), ['REPLY']);
    assert.deepEqual(await inbox('carol', 'no-organizer'), ['REQUEST'], 'Carol got the invitation only');
    const back = serverItems(pkg4).find((x) => x.item.target?.locURI === phone.get('no-organizer')?.luid);
    assert.equal(back?.kind, 'Replace', 'the server’s version goes back to the phone');
    assert.match(unfold(dataText(back?.item ?? {})), /ORGANIZER;CN=Bob/);
  });

  it('§3.2.2.1: ATTENDEE parameters the phone dropped (CN, ROLE, RSVP) stay on Alice’s copy', async () => {
    await sync([
      replace('dropped-params', phoneIcal('dropped-params', 'ATTENDEE;PARTSTAT=TENTATIVE:MAILTO:alice@example.com')),
    ]);
    assert.match(
      attendee((await get('alice', 'dropped-params')).body, 'alice'),
      /^ATTENDEE;CN=Alice;PARTSTAT=TENTATIVE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:/,
    );
    assert.match(attendee((await get('bob', 'dropped-params')).body, 'alice'), /PARTSTAT=TENTATIVE/);
  });

  it('§3.2.2.1: a phone naming its owner ORGANIZER does not make Alice the organizer: no CANCEL or REQUEST to anyone', async () => {
    await sync([
      replace(
        'self-organizer',
        phoneIcal(
          'self-organizer',
          'SUMMARY:Mine',
          'ORGANIZER:mailto:alice@example.com',
          'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
        ),
      ),
    ]);
    const mine = (await get('alice', 'self-organizer')).body;
    assert.match(mine, /ORGANIZER;CN=Bob:mailto:bob@example\.com/);
    assert.match(mine, /SUMMARY:Meeting self-organizer/);
    assert.deepEqual(await inbox('carol', 'self-organizer'), ['REQUEST']);
    assert.deepEqual(await inbox('bob', 'self-organizer'), ['REPLY']);
    const bobs = (await get('bob', 'self-organizer')).body;
    assert.match(bobs, /ORGANIZER;CN=Bob/);
    assert.match(attendee(bobs, 'carol'), /PARTSTAT=NEEDS-ACTION/);
  });

  it('vCalendar 1.0 as SyncEvolution sends it (ATTENDEE;ROLE=ORGANIZER, ATTENDEE;STATUS=DECLINED, STATUS="NEEDS ACTION"): Bob sees DECLINED', async () => {
    const vcal = capturedVcalReply();
    assert.match(vcal, /ATTENDEE;STATUS="NEEDS ACTION":carol@example\.com/);
    const pkg4 = await sync([replace('vcal10', vcal, VCAL10)]);
    assert.deepEqual(itemStatuses(pkg4, 'Replace'), [200]);
    assert.match(attendee((await get('alice', 'vcal10')).body, 'alice'), /PARTSTAT=DECLINED/);
    assert.match(attendee((await get('bob', 'vcal10')).body, 'alice'), /PARTSTAT=DECLINED/);
    assert.match(attendee((await get('alice', 'vcal10')).body, 'carol'), /CN=Carol/);
  });

  it('a phone that changes nothing but PARTSTAT in the copy it got: the change is stored and replied', async () => {
    const got = phone.get('partstat-only')?.text ?? '';
    const accepted = unfold(got).replace(/^(ATTENDEE;CN=Alice;)PARTSTAT=NEEDS-ACTION/m, '$1PARTSTAT=ACCEPTED');
    assert.notEqual(accepted, unfold(got));
    await sync([replace('partstat-only', accepted)]);
    assert.match(attendee((await get('bob', 'partstat-only')).body, 'alice'), /PARTSTAT=ACCEPTED/);
  });

  it('§3.2.2.4: a Delete on the phone removes Alice’s copy and declines (REPLY DECLINED), as a CalDAV DELETE does', async () => {
    const pkg4 = await sync([{ kind: 'Delete', items: [{ source: { locURI: phone.get('deleted')?.luid ?? '' } }] }]);
    assert.deepEqual(itemStatuses(pkg4, 'Delete'), [200]);
    assert.equal((await get('alice', 'deleted')).status, 404);
    assert.match(attendee((await get('bob', 'deleted')).body, 'alice'), /PARTSTAT=DECLINED/);
    assert.deepEqual(await inbox('carol', 'deleted'), ['REQUEST']);
  });
});
