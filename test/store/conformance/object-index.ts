/** Store conformance cases: object index. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Store } from '../../../src/store/store.js';
import { bytes, byteOrder, HOME, store, alice, tx, put, mkcol, get, rawSql } from './fixture.js';

export function objectIndexCases(): void {
  describe('object index', () => {
    it('queryObjects: component, uid and the overlap rule firstStart < end AND (lastEnd IS NULL OR lastEnd > start); null = unbounded', async () => {
      await mkcol(`${HOME}/cal`);
      const cal = await get(`${HOME}/cal`);
      const ix = (component: string, uid: string, firstStart: number | null, lastEnd: number | null) => ({
        index: { component, uid, firstStart, lastEnd },
      });
      await put(`${HOME}/cal/a.ics`, 'a', ix('VEVENT', 'a', 100, 200));
      await put(`${HOME}/cal/b.ics`, 'b', ix('VEVENT', 'b', 300, null));
      await put(`${HOME}/cal/c.ics`, 'c', ix('VTODO', 'c', null, null));
      await put(`${HOME}/cal/d.ics`, 'd', ix('VEVENT', 'd', 500, 600));
      await mkcol(`${HOME}/cal/sub`);
      const q = async (query: Parameters<Store['queryObjects']>[1]) =>
        (await store.queryObjects(cal.id, query)).map((r) => r.path.slice(-5));
      assert.deepEqual(await q({}), ['a.ics', 'b.ics', 'c.ics', 'd.ics']);
      assert.deepEqual(await q({ component: 'VEVENT' }), ['a.ics', 'b.ics', 'd.ics']);
      assert.deepEqual(await q({ uid: 'd' }), ['d.ics']);
      assert.deepEqual(await q({ rangeStart: 200, rangeEnd: 300 }), ['c.ics'], 'ends are exclusive on both sides');
      assert.deepEqual(await q({ rangeStart: 150, rangeEnd: 301 }), ['a.ics', 'b.ics', 'c.ics']);
      assert.deepEqual(await q({ component: 'VEVENT', rangeStart: 1000 }), ['b.ics'], 'open-ended');
      assert.deepEqual(await q({ rangeEnd: 120 }), ['a.ics', 'c.ics']);
      const got = await store.getResource(`${HOME}/cal/b.ics`);
      assert.equal(got?.lastEnd, null);
      assert.equal(got?.firstStart, 300);
    });

    it('queryObjects: the overlap rule holds for envelopes of every span class (1 ms … open-ended) and every window boundary', async () => {
      await mkcol(`${HOME}/cal`);
      const cal = await get(`${HOME}/cal`);
      const DAY = 86_400_000;
      const T0 = 1_700_000_000_000;
      // Spans just below, at and above each class limit (1, 8, 64, 512, 4096 days), and unknown ends.
      const spans: (number | null)[] = [
        0,
        1,
        DAY - 1,
        DAY,
        DAY + 1,
        8 * DAY,
        8 * DAY + 1,
        64 * DAY,
        64 * DAY + 1,
        512 * DAY,
        512 * DAY + 1,
        4096 * DAY,
        4096 * DAY + 1,
        20_000 * DAY,
        null,
      ];
      const objects: { name: string; first: number | null; last: number | null }[] = [];
      let n = 0;
      await tx(async (t) => {
        for (const span of spans) {
          for (const offset of [-5000 * DAY, -70 * DAY, -9 * DAY, -DAY, -1, 0, 1, DAY / 2, 3 * DAY, 100 * DAY]) {
            const first = T0 + offset;
            const last = span === null ? null : first + span;
            const name = `o${n++}.ics`;
            objects.push({ name, first, last });
            await t.putObject(`${HOME}/cal/${name}`, {
              ownerId: alice.id,
              body: bytes(name),
              contentType: 'text/calendar',
              etag: `"${name}"`,
              index: { component: 'VEVENT', uid: name, firstStart: first, lastEnd: last },
            });
          }
        }
        for (const last of [null, T0 - DAY, T0 + DAY]) {
          const name = `o${n++}.ics`;
          objects.push({ name, first: null, last });
          await t.putObject(`${HOME}/cal/${name}`, {
            ownerId: alice.id,
            body: bytes(name),
            contentType: 'text/calendar',
            etag: `"${name}"`,
            index: { component: 'VEVENT', uid: name, firstStart: null, lastEnd: last },
          });
        }
      });
      const windows: [number | undefined, number | undefined][] = [];
      for (const s of [T0 - 6000 * DAY, T0 - 65 * DAY, T0 - DAY, T0 - 1, T0, T0 + 1, T0 + 2 * DAY, undefined]) {
        for (const w of [1, DAY, 7 * DAY, 31 * DAY, 1000 * DAY]) windows.push([s, s === undefined ? T0 + w : s + w]);
        windows.push([s, undefined]);
      }
      for (const [start, end] of windows) {
        const expected = objects
          .filter(
            (o) =>
              (start === undefined || o.last === null || o.last > start) &&
              (end === undefined || o.first === null || o.first < end),
          )
          .map((o) => `${HOME}/cal/${o.name}`)
          .sort(byteOrder);
        const got = (
          await store.queryObjects(cal.id, {
            component: 'VEVENT',
            ...(start !== undefined ? { rangeStart: start } : {}),
            ...(end !== undefined ? { rangeEnd: end } : {}),
          })
        ).map((r) => r.path);
        assert.deepEqual(
          got,
          expected,
          `window [${start === undefined ? '-∞' : start - T0}, ${end === undefined ? '∞' : end - T0})`,
        );
      }
    });

    it('readEventIntervals: triples round-trip bit for bit with their horizon and series text; a rewrite without them removes them', async () => {
      await mkcol(`${HOME}/cal`);
      const triples = Float64Array.from([
        -86_400_000.5,
        1_700_000_000_000,
        1,
        1_700_000_003_600,
        1_700_000_003_601,
        0,
        Number.MAX_SAFE_INTEGER,
        -0,
        1,
      ]);
      const ix = (eventIntervals: Float64Array | null, eventIntervalsUntil: number | null, seriesText?: string) => ({
        index: {
          component: 'VEVENT',
          uid: String(eventIntervalsUntil),
          firstStart: 1,
          lastEnd: 2,
          eventIntervals,
          eventIntervalsUntil,
          seriesText,
        },
      });
      // The series text is the domain's (formats/ical/expand.ts SeriesText JSON): kept as written, non-ASCII included.
      const series = '{"v":1,"head":"BEGIN:VCALENDAR\\r\\nX-NAME:Zoë ☃"}';
      const a = (await put(`${HOME}/cal/a.ics`, 'a', ix(triples, null, series))).resource;
      const b = (await put(`${HOME}/cal/b.ics`, 'b', ix(Float64Array.from([5, 6, 1]), 1_800_000_000_000))).resource;
      const c = (await put(`${HOME}/cal/c.ics`, 'c', ix(null, null))).resource;
      const got = await store.readEventIntervals([a.id, b.id, c.id, 999_999]);
      assert.deepEqual([...got.keys()].sort(), [a.id, b.id].sort());
      assert.deepEqual([...(got.get(a.id)?.intervals ?? [])], [...triples]);
      assert.ok(Object.is(got.get(a.id)?.intervals[7], -0));
      assert.equal(got.get(a.id)?.until, null);
      assert.equal(got.get(a.id)?.seriesText, series);
      assert.deepEqual([...(got.get(b.id)?.intervals ?? [])], [5, 6, 1]);
      assert.equal(got.get(b.id)?.until, 1_800_000_000_000);
      assert.equal(got.get(b.id)?.seriesText ?? null, null);
      // A node of an older version rewrites the row without knowing the column: the text it
      // leaves belongs to another version and is not given back.
      await rawSql('UPDATE resources SET etag = ?, event_intervals_until = ? WHERE id = ?', ['"older-node"', 7, a.id]);
      const older = (await store.readEventIntervals([a.id])).get(a.id);
      assert.equal(older?.until, 7);
      assert.equal(older?.seriesText ?? null, null);
      // A rewrite with intervals and no series text leaves none of the old one.
      await put(`${HOME}/cal/a.ics`, 'a1', ix(triples, null));
      assert.equal((await store.readEventIntervals([a.id])).get(a.id)?.seriesText ?? null, null);
      await put(`${HOME}/cal/a.ics`, 'a2', ix(null, null, series));
      assert.equal((await store.readEventIntervals([a.id])).size, 0);
      assert.equal((await store.readEventIntervals([])).size, 0);
    });

    it('readExpandedTexts: the text written with the current version, non-ASCII included; none for another version or a rewrite without one', async () => {
      await mkcol(`${HOME}/exp`);
      const text = 'lone-expansion 1\nBEGIN:VCALENDAR\r\nLOCATION:Café ☕\r\n';
      const ix = (expandedText?: string) => ({
        index: { component: 'VEVENT', uid: 'u', firstStart: 1, lastEnd: 2, spanExact: true, expandedText },
      });
      const a = (await put(`${HOME}/exp/a.ics`, 'a', ix(text))).resource;
      const b = (await put(`${HOME}/exp/b.ics`, 'b', ix())).resource;
      const got = await store.readExpandedTexts([a.id, b.id, 999_999]);
      assert.deepEqual([...got.keys()], [a.id]);
      assert.deepEqual(got.get(a.id), { etag: a.etag, text });
      // A node of an older version rewrites the row without knowing the column.
      await rawSql('UPDATE resources SET etag = ? WHERE id = ?', ['"older-node"', a.id]);
      assert.equal((await store.readExpandedTexts([a.id])).size, 0);
      await put(`${HOME}/exp/a.ics`, 'a1', ix(text));
      assert.equal((await store.readExpandedTexts([a.id])).size, 1);
      await put(`${HOME}/exp/a.ics`, 'a2', ix());
      assert.equal((await store.readExpandedTexts([a.id])).size, 0);
      assert.equal((await store.readExpandedTexts([])).size, 0);
    });

    it('getResourcesByPaths: the existing ones, ordered by path, duplicates once', async () => {
      await put(`${HOME}/x`);
      await put(`${HOME}/y`);
      const found = await store.getResourcesByPaths([`${HOME}/y`, `${HOME}/nope`, `${HOME}/x`, `${HOME}/y`]);
      assert.deepEqual(
        found.map((r) => r.path),
        [`${HOME}/x`, `${HOME}/y`],
      );
      assert.deepEqual(await store.getResourcesByPaths([]), []);
    });
  });
}
