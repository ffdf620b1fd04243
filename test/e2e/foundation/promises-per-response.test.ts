/**
 * What one more DAV:response costs in promises (issue #20). While AsyncLocalStorage is in use
 * every promise runs async hooks, and a month's calendar-query made about eight promises per
 * response, an expanded week about eighteen: a response at hand now joins a run of responses
 * handed over together (dav/core/response-runs.ts), and a rendering that ends within its slice is
 * answered without a promise (domain/cooperative.ts `runSliced`). Measured as the difference
 * between two answers of different sizes, so what the request and the in-process client cost
 * once cancels out.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { after, before, describe, it } from 'node:test';
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';
import { event, put, query, report, type Fetch } from '../rfc4791/caldav-client.js';

const CAL = '/dav/calendars/alice/default/';
const FEW = 20;
const MANY = 100;

let s: TestServer;
let alice: Fetch;
before(async () => {
  s = await startTestServer();
  alice = davFetch(s.url, 'alice');
  // FEW events on 2024-01-01 … , MANY on 2024-03-01 …: one per hour, in UTC.
  const at = (month: number, k: number): string =>
    `2024${String(month).padStart(2, '0')}${String(1 + Math.floor(k / 24)).padStart(2, '0')}T${String(k % 24).padStart(2, '0')}0000Z`;
  const puts: Promise<Response>[] = [];
  // Weekly, twice: a series, whose expansion depends on the window (a lone event's does not).
  const twice = ['RRULE:FREQ=WEEKLY;COUNT=2'];
  for (let k = 0; k < FEW; k++)
    puts.push(put(alice, `${CAL}jan-${k}.ics`, event(`jan-${k}`, at(1, k), at(1, k + 1), twice)));
  for (let k = 0; k < MANY; k++)
    puts.push(put(alice, `${CAL}mar-${k}.ics`, event(`mar-${k}`, at(3, k), at(3, k + 1), twice)));
  for (const r of await Promise.all(puts)) assert.equal(r.status, 201);
});
after(() => s.close());

/** A window of the month that no request used before (its end moves by a second each time). */
let asked = 0;
function window(month: string): { start: string; end: string } {
  asked += 1;
  return {
    start: `2024${month}01T000000Z`,
    end: `2024${month}28T00${String(Math.floor(asked / 60)).padStart(2, '0')}${String(asked % 60).padStart(2, '0')}Z`,
  };
}

/** The promises made while `f` runs. */
async function promisesDuring(f: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') n++;
    },
  }).enable();
  try {
    await f();
  } finally {
    hook.disable();
  }
  return n;
}

/** Promises per response beyond the first FEW: the answer for March (MANY) against January's (FEW). */
async function perResponse(prop: (w: { start: string; end: string }) => string): Promise<number> {
  const ask = async (month: string, responses: number): Promise<void> => {
    const w = window(month);
    const filter = `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${w.start}" end="${w.end}"/></C:comp-filter></C:comp-filter>`;
    const r = await alice(CAL, {
      method: 'REPORT',
      headers: { 'Content-Type': 'application/xml; charset=utf-8', Depth: '1', 'Cache-Control': 'no-cache' },
      body: query(filter, prop(w)),
    });
    const text = await r.text();
    assert.equal(r.status, 207);
    assert.equal(text.split('<D:response>').length - 1, responses);
  };
  await ask('01', FEW); // the caches warmed as a client's first sync would
  await ask('03', MANY);
  const few = await promisesDuring(() => ask('01', FEW));
  const many = await promisesDuring(() => ask('03', MANY));
  return (many - few) / (MANY - FEW);
}

describe('promises per DAV:response (issue #20)', () => {
  it('RFC 4791 §7.8: a calendar-query answers each further match with under two promises', async () => {
    const per = await perResponse(() => '<D:getetag/><C:calendar-data/>');
    assert.ok(per < 2, `${per.toFixed(2)} promises per response`);
  });

  it('RFC 4791 §9.6.5: an expanded query renders each further match with under two promises', async () => {
    // A window no request used before: every expansion is computed.
    const per = await perResponse(
      (w) => `<D:getetag/><C:calendar-data><C:expand start="${w.start}" end="${w.end}"/></C:calendar-data>`,
    );
    assert.ok(per < 2, `${per.toFixed(2)} promises per response`);
  });

  it('RFC 4791 §7.9: a calendar-multiget answers each further href with under two promises', async () => {
    const multiget = (hrefs: string[]): string =>
      `<?xml version="1.0" encoding="utf-8"?><C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">` +
      `<D:prop><D:getetag/><C:calendar-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:calendar-multiget>`;
    const ask = async (n: number): Promise<void> => {
      const hrefs = Array.from({ length: n }, (_, k) => `${CAL}mar-${k}.ics`);
      const r = await report(alice, CAL, multiget(hrefs));
      assert.equal(r.status, 207);
      assert.equal(r.text.split('<D:response>').length - 1, n);
    };
    await ask(FEW);
    await ask(MANY);
    const few = await promisesDuring(() => ask(FEW));
    const many = await promisesDuring(() => ask(MANY));
    const per = (many - few) / (MANY - FEW);
    assert.ok(per < 2, `${per.toFixed(2)} promises per response`);
  });
});
