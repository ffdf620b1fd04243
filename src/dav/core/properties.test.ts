import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { el, type XmlElement, type XmlNode } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';
import { createRegistry } from '../index.js';
import type { DavContext } from './context.js';
import { plainMemberWriter, plainObjectWriter, propstatsFor, responseFor, type PropRequest } from './properties.js';
import { storedResource } from './resource.js';
import { resourceRow } from '../../store/resource-fixture.js';

const registry = createRegistry();

const alice: User = { id: 1, name: 'alice', email: null, displayName: null, passwordHash: '', createdAt: 0 };

const bobsFile: Resource = resourceRow({
  id: 9,
  path: '/files/bob/secret.txt',
  parentId: 8,
  ownerId: 2,
  contentType: 'text/plain',
  size: 6,
  etag: '"bob-etag"',
});

/** A store that fails the test if anything is read from it. */
const untouchable = new Proxy(
  {},
  {
    get: (_t, name) => {
      throw new Error(`the store was asked for ${String(name)}`);
    },
  },
) as Store;

describe('propstatsFor (dav/core/properties.ts)', () => {
  it('RFC 3744 §7.1.1: on a resource the user may not read, every property asked is 403 and nothing is read', async () => {
    const ctx = { user: alice, store: untouchable, registry } as unknown as DavContext;
    const names = [dav('getetag'), dav('displayname'), '{urn:x}dead', dav('getetag')];
    const propstats = await propstatsFor(ctx, storedResource(bobsFile), { kind: 'prop', names });
    const xml = propstats.map((p) => serializeXml(p, false)).join('');
    assert.equal(propstats.length, 1);
    assert.match(xml, /403 Forbidden/);
    assert.doesNotMatch(xml, /bob-etag|secret/);
    assert.equal(xml.match(/getetag/g)?.length, 1, 'each name once');
    const all = await propstatsFor(ctx, storedResource(bobsFile), { kind: 'allprop', include: [] });
    assert.doesNotMatch(all.map((p) => serializeXml(p, false)).join(''), /bob-etag|getcontentlength|200 OK/);
  });
});

function rawText(node: XmlNode): string {
  assert.ok(typeof node === 'object' && 'raw' in node, 'a response written as text');
  return node.raw;
}

describe('plainMemberWriter (dav/core/properties.ts)', () => {
  const textual = [...registry.properties.values()].filter((d) => d.text).map((d) => d.name);
  const alicesEvent = (over: Partial<Resource>): Resource =>
    resourceRow({ id: 20, path: '/calendars/alice/home/a.ics', parentId: 19, ownerId: 1, ...over });
  const members = [
    alicesEvent({ contentType: 'text/calendar; charset=utf-8; component=VEVENT', etag: '"1-abc"', size: 1234 }),
    alicesEvent({ contentType: null, etag: '"<&>"', size: 0, createdAt: 1_700_000_000_123, modifiedAt: 86_400_000 }),
    alicesEvent({ contentType: 'x/y; a="&<>"', etag: 'W/"weak"', size: 7, modifiedAt: 253_402_300_799_000 }),
  ];

  it('is offered for a DAV:prop of live text properties only', () => {
    assert.deepEqual(
      [...textual].sort(),
      ['creationdate', 'getcontentlength', 'getcontenttype', 'getetag', 'getlastmodified', 'resourcetype']
        .map(dav)
        .sort(),
    );
    const ctx = { user: alice, store: untouchable, registry } as unknown as DavContext;
    assert.ok(plainMemberWriter(ctx, { kind: 'prop', names: textual }, false));
    for (const request of [
      { kind: 'prop', names: [dav('getetag'), dav('displayname')] }, // writable: kept with the dead properties
      { kind: 'prop', names: [dav('getetag'), '{urn:x}dead'] },
      { kind: 'prop', names: [dav('current-user-privilege-set')] },
      { kind: 'allprop', include: [] },
      { kind: 'propname' },
    ] satisfies PropRequest[])
      assert.equal(plainMemberWriter(ctx, request, false), null, JSON.stringify(request));
  });

  it('writes the same bytes as responseFor, for every subset of those properties, with and without return=minimal', async () => {
    const ctx = { user: alice, store: untouchable, registry } as unknown as DavContext;
    let compared = 0;
    for (let mask = 0; mask < 1 << textual.length; mask++) {
      const chosen = textual.filter((_, i) => (mask >> i) & 1);
      const names = mask % 3 === 0 ? [...chosen, ...chosen.slice(0, 1)] : chosen; // a repeated name is answered once
      for (const minimal of [false, true]) {
        const write = plainMemberWriter(ctx, { kind: 'prop', names }, minimal);
        assert.ok(write);
        for (const m of members) {
          const r = storedResource(m);
          const href = `/dav${m.path}`;
          const plain = write(r);
          assert.ok(plain, 'a plain object is written');
          const general = await responseFor(ctx, r, href, { kind: 'prop', names }, { minimal });
          assert.equal(rawText(plain), rawText(general), `${names.join(' ')} minimal=${minimal}`);
          // The row's kept texts (member-texts.ts) give the same bytes again.
          assert.equal(rawText(write(r) ?? ''), rawText(general));
          compared += 1;
        }
      }
    }
    assert.equal(compared, 64 * 2 * members.length);
  });

  it('leaves to responseFor a collection and a member the user may not read', () => {
    const ctx = { user: alice, store: untouchable, registry } as unknown as DavContext;
    const write = plainMemberWriter(ctx, { kind: 'prop', names: [dav('getetag'), dav('resourcetype')] }, false);
    assert.ok(write);
    const collection = resourceRow({
      id: 19,
      path: '/calendars/alice/home',
      parentId: 18,
      ownerId: 1,
      isCollection: true,
    });
    assert.equal(write(storedResource(collection)), null);
    assert.equal(write(storedResource(bobsFile)), null);
  });

  it('keeps texts by row: a member read again gives its new values, a member listed under another path its own href', () => {
    const ctx = { user: alice, store: untouchable, registry } as unknown as DavContext;
    const write = plainMemberWriter(ctx, { kind: 'prop', names: [dav('getetag')] }, false);
    assert.ok(write);
    const before = alicesEvent({ etag: '"1-old"' });
    assert.match(rawText(write(storedResource(before)) ?? ''), /"1-old"/);
    const after = alicesEvent({ etag: '"2-new"' });
    const text = rawText(write(storedResource(after)) ?? '');
    assert.match(text, /"2-new"/);
    assert.doesNotMatch(text, /1-old/);
    const elsewhere = { ...storedResource(after), path: '/calendars/bob/shared-1/a.ics' };
    assert.match(rawText(write(elsewhere) ?? ''), /<D:href>\/dav\/calendars\/bob\/shared-1\/a.ics<\/D:href>/);
    assert.match(rawText(write(storedResource(after)) ?? ''), /<D:href>\/dav\/calendars\/alice\/home\/a.ics<\/D:href>/);
  });
});

describe('plainObjectWriter (dav/core/properties.ts)', () => {
  const ctx = { user: alice, store: untouchable, registry } as unknown as DavContext;
  const calendarData = '{urn:ietf:params:xml:ns:caldav}calendar-data';
  const textual = ['getetag', 'getcontenttype', 'getlastmodified'].map(dav);
  const member = resourceRow({
    id: 30,
    path: '/calendars/alice/home/m.ics',
    parentId: 19,
    ownerId: 1,
    contentType: 'text/calendar; charset=utf-8; component=VEVENT',
    etag: '"3-abc"',
    modifiedAt: 86_400_000,
  });
  const values: readonly (XmlElement | null)[] = [
    el(calendarData, {}, 'BEGIN:VCALENDAR\r\nSUMMARY:a < b & c\r\nEND:VCALENDAR\r\n'),
    el(calendarData, { 'content-type': 'application/calendar+json', version: '2.0' }, '["vcalendar",[],[]]'),
    null,
  ];

  it('writes the same bytes as responseFor with the data computed, for every subset and order, own and echoed hrefs', async () => {
    let compared = 0;
    for (let mask = 0; mask < 1 << (textual.length + 1); mask++) {
      const chosen = [calendarData, ...textual].filter((_, i) => (mask >> i) & 1);
      for (const names of [chosen, [...chosen].reverse(), [...chosen, ...chosen]]) {
        const write = plainObjectWriter(registry, { kind: 'prop', names }, calendarData);
        assert.ok(write);
        for (const value of values) {
          for (const href of ['/dav/calendars/alice/home/m.ics', 'http://h.example/dav/calendars/alice/home/m%2Eics']) {
            const r = storedResource(member);
            let asked = 0;
            const plain = await write(ctx, r, href, () => (asked++, value));
            assert.ok(plain);
            const general = await responseFor(
              ctx,
              r,
              href,
              { kind: 'prop', names },
              {
                computed: new Map([[calendarData, () => value]]),
              },
            );
            assert.equal(rawText(plain), rawText(general), `${names.join(' ')} ${href}`);
            assert.equal(asked, names.includes(calendarData) ? 1 : 0, 'the data is asked once, when asked for');
            compared += 1;
          }
        }
      }
    }
    assert.equal(compared, 16 * 3 * values.length * 2);
  });

  it('leaves to responseFor a member the user may not read, without asking for its data', () => {
    const write = plainObjectWriter(registry, { kind: 'prop', names: [dav('getetag'), calendarData] }, calendarData);
    assert.ok(write);
    assert.equal(
      write(ctx, storedResource(bobsFile), '/dav/files/bob/secret.txt', () => {
        throw new Error('rendered');
      }),
      null,
    );
    assert.equal(
      plainObjectWriter(registry, { kind: 'prop', names: [dav('displayname'), calendarData] }, calendarData),
      null,
    );
  });
});
