/** RFC 4791 §7.10 free-busy-query: a VFREEBUSY over a range, honouring TRANSP and STATUS. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { event, loadAppendixB, put, report, startCalServer, unfold, type CalServer } from './caldav-client.js';

const WORK = '/dav/calendars/alice/work/';
let s: CalServer;
before(async () => {
  s = await startCalServer();
  await loadAppendixB(s.fetch);
});
after(() => s.close());

const fbq = (start: string, end: string) =>
  `<?xml version="1.0" encoding="utf-8" ?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="${start}" end="${end}"/></C:free-busy-query>`;

describe('RFC 4791 §7.10 free-busy-query', () => {
  it('§7.10.1: busy time of the Appendix B collection', async () => {
    const r = await report(s.fetch, WORK, fbq('20060104T140000Z', '20060105T220000Z'));
    assert.equal(r.status, 200);
    assert.match(r.text.slice(0, 20), /BEGIN:VCALENDAR/);
    const lines = unfold(r.text);
    assert.ok(lines.includes('DTSTART:20060104T140000Z'));
    assert.ok(lines.includes('DTEND:20060105T220000Z'));
    const fb = lines.filter((l) => l.startsWith('FREEBUSY'));
    // abcd3 (TENTATIVE 15:00–16:00Z), abcd2 instances 17:00–18:00Z on the 5th and the override 19:00–20:00Z on the 4th,
    // abcd8 VFREEBUSY periods 10:00–12:00Z on the 5th (BUSY-UNAVAILABLE).
    assert.ok(fb.includes('FREEBUSY;FBTYPE=BUSY-TENTATIVE:20060104T150000Z/20060104T160000Z'), fb.join('\n'));
    assert.ok(fb.includes('FREEBUSY:20060104T190000Z/20060104T200000Z'), fb.join('\n'));
    assert.ok(fb.includes('FREEBUSY:20060105T170000Z/20060105T180000Z'), fb.join('\n'));
    assert.ok(fb.includes('FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20060105T100000Z/20060105T120000Z'), fb.join('\n'));
  });

  it('TRANSP:TRANSPARENT and STATUS:CANCELLED events are free', async () => {
    await put(
      s.fetch,
      `${WORK}transparent.ics`,
      event('t1', '20060110T100000Z', '20060110T110000Z', ['TRANSP:TRANSPARENT']),
    );
    await put(
      s.fetch,
      `${WORK}cancelled.ics`,
      event('c1', '20060110T120000Z', '20060110T130000Z', ['STATUS:CANCELLED']),
    );
    await put(s.fetch, `${WORK}busy.ics`, event('b1', '20060110T140000Z', '20060110T150000Z'));
    const r = await report(s.fetch, WORK, fbq('20060110T000000Z', '20060111T000000Z'));
    const fb = unfold(r.text).filter((l) => l.startsWith('FREEBUSY'));
    assert.deepEqual(fb, ['FREEBUSY:20060110T140000Z/20060110T150000Z']);
  });

  it('needs a time-range with start and end', async () => {
    const r = await report(
      s.fetch,
      WORK,
      '<?xml version="1.0"?><C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"/>',
    );
    assert.equal(r.status, 400);
  });
});
