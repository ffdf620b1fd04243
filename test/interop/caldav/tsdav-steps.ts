/**
 * tsdav (the TypeScript client the design guide cites) as a scenario of steps against any base
 * URL: account discovery through /.well-known/caldav, fetchCalendars, objects by time range, and
 * smart sync (webdav sync-collection and basic ctag/etag) seeing creates, updates and deletes.
 * Run against one server (tsdav.test.ts) and through a cluster's balancer (test/e2e/cluster/).
 */
import assert from 'node:assert/strict';
import { calendarMultiGet, DAVClient, fetchCalendarObjects, type DAVCalendar } from 'tsdav';
import { event } from '../../e2e/rfc4791/caldav-client.js';
import { stepList, type Step } from '../../helpers/steps.js';

/** The steps, in order; each depends on the ones before. `base()` is the server's URL. */
export function tsdavSteps(base: () => string): Step[] {
  const { steps, step: it } = stepList();
  let client: DAVClient;
  let calendar: DAVCalendar;

  it('discovers the principal, the calendar home and the default calendar', async () => {
    client = new DAVClient({
      serverUrl: base(),
      credentials: { username: 'alice', password: 'alice-pw' },
      authMethod: 'Basic',
      defaultAccountType: 'caldav',
    });
    await client.login();
    assert.match(client.account?.principalUrl ?? '', /\/dav\/principals\/users\/alice\/$/);
    assert.match(client.account?.homeUrl ?? '', /\/dav\/calendars\/alice\/$/);
    const calendars = await client.fetchCalendars();
    const def = calendars.find((c) => c.url.endsWith('/dav/calendars/alice/default/'));
    assert.ok(def, JSON.stringify(calendars.map((c) => c.url)));
    assert.equal(def.displayName, 'Calendar');
    assert.ok(def.components?.includes('VEVENT') && def.components.includes('VTODO'));
    assert.ok(def.ctag && def.syncToken);
    calendar = def;
  });

  it('creates objects and fetches them by time range', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await client.createCalendarObject({
        calendar,
        filename: `ts-${i}.ics`,
        iCalString: event(`ts-${i}`, `2024050${i + 1}T100000Z`, `2024050${i + 1}T110000Z`),
      });
      assert.equal(res.status, 201);
    }
    const objs = await client.fetchCalendarObjects({
      calendar,
      timeRange: { start: '2024-05-02T00:00:00Z', end: '2024-05-04T00:00:00Z' },
    });
    assert.deepEqual(objs.map((o) => o.url.split('/').pop()).sort(), ['ts-1.ics', 'ts-2.ics']);
    assert.ok(objs.every((o) => /BEGIN:VEVENT/.test(String(o.data)) && o.etag));
    calendar = { ...calendar, objects: await client.fetchCalendarObjects({ calendar }) };
    assert.equal(calendar.objects?.length, 5);
  });

  for (const method of ['webdav', 'basic'] as const) {
    it(`smart sync (${method}) sees a create, an update and a delete`, async () => {
      const fresh = (await client.fetchCalendars()).find((c) => c.url === calendar.url) as DAVCalendar;
      // Wired as tsdav's own syncCalendars wires a collection for smartCollectionSync.
      const base: DAVCalendar = {
        ...calendar,
        ctag: fresh.ctag,
        syncToken: fresh.syncToken,
        objects: await client.fetchCalendarObjects({ calendar }),
        objectMultiGet: calendarMultiGet,
        fetchObjects: async (p?: { collection: DAVCalendar; headers?: Record<string, string> }) =>
          p ? fetchCalendarObjects({ ...p, calendar: p.collection }) : [],
      } as DAVCalendar;
      const n = method === 'webdav' ? 'a' : 'b';
      await client.createCalendarObject({
        calendar,
        filename: `new-${n}.ics`,
        iCalString: event(`new-${n}`, '20240601T100000Z', '20240601T110000Z'),
      });
      const target = base.objects?.find((o) => o.url.endsWith(method === 'webdav' ? 'ts-0.ics' : 'ts-1.ics'));
      assert.ok(target);
      await client.updateCalendarObject({
        calendarObject: { ...target, data: String(target.data).replace('Test event', 'Updated') },
      });
      const victim = base.objects?.find((o) => o.url.endsWith(method === 'webdav' ? 'ts-4.ics' : 'ts-3.ics'));
      assert.ok(victim);
      await client.deleteCalendarObject({ calendarObject: victim });
      const result = await client.smartCollectionSyncDetailed({ collection: base, method, account: client.account });
      const file = (o: { url: string }) => o.url.split('/').pop();
      assert.deepEqual(result.objects.created.map(file), [`new-${n}.ics`]);
      assert.deepEqual(result.objects.updated.map(file), [file(target)]);
      assert.deepEqual(result.objects.deleted.map(file), [file(victim)]);
      // tsdav advances the sync-token in webdav mode and the ctag in basic mode.
      if (method === 'webdav') assert.notEqual(result.syncToken, base.syncToken);
      else assert.notEqual(result.ctag, base.ctag);
      calendar = { ...calendar, objects: await client.fetchCalendarObjects({ calendar }) };
    });
  }

  it('syncCalendars reports the changed calendar with its new objects', async () => {
    const old = (await client.fetchCalendars()).find((c) => c.url === calendar.url) as DAVCalendar;
    const local = { ...old, objects: await client.fetchCalendarObjects({ calendar }) };
    await client.createCalendarObject({
      calendar,
      filename: 'late.ics',
      iCalString: event('late', '20240701T100000Z', '20240701T110000Z'),
    });
    const result = await client.syncCalendarsDetailed({ oldCalendars: [local], account: client.account });
    assert.equal(result.updated.length, 1);
    assert.ok(result.updated[0]?.objects?.some((o) => o.url.endsWith('/late.ics')));
  });
  return steps;
}
