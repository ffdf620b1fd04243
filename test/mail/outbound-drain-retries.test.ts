/**
 * drainOutbound over claim/mark callbacks (the scheduling queue plugs in there) sending to a
 * real SMTP server on 127.0.0.1: every claimed message ends sent, skipped (past), retried with
 * a doubling wait, or failed (5xx at once; a transient failure after maxAttempts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { drainOutbound, outcomeOf, type DrainOutcome, type QueuedItip } from '../../src/mail/drain-outbound.js';
import { createItipMailer, type ItipMailer } from '../../src/mail/mailer.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';

const NOW = Date.UTC(2026, 11, 4, 12);
const ics = (uid: string, start: string): string =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//t//EN',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20261204T120000Z',
    `DTSTART:${start}`,
    'DURATION:PT1H',
    'SUMMARY:s',
    'ORGANIZER:mailto:alice@almanac.example',
    'ATTENDEE:mailto:bob@example.net',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** A queue the test keeps: claim hands out due rows once, mark records the outcome. */
function queue(rows: QueuedItip[]) {
  const pending = [...rows];
  const marks = new Map<string, DrainOutcome>();
  return {
    marks,
    claim: async (limit: number) => pending.splice(0, limit),
    mark: async (id: string, outcome: DrainOutcome) => {
      marks.set(id, outcome);
    },
  };
}

function row(id: string, start: string, attempts = 0, recipient = 'mailto:bob@example.net'): QueuedItip {
  return {
    id,
    attempts,
    recipient,
    method: 'REQUEST',
    icsText: ics(`uid-${id}`, start),
    organizer: { mailto: 'mailto:alice@almanac.example' },
  };
}

let sink: SmtpSink;
let mailer: ItipMailer;
before(async () => {
  sink = await startSmtpSink();
  mailer = createItipMailer(
    { from: 'calendar@almanac.example', smtp: { host: '127.0.0.1', port: sink.port, secure: false } },
    { now: () => NOW },
  );
});
after(async () => {
  mailer.close();
  await sink.close();
});

describe('drainOutbound', () => {
  it('sends due messages in batches and marks each: sent, skipped, failed', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => row(`r${i}`, '20270101T100000Z'));
    rows.push(row('past', '20250101T100000Z'), row('bad', '20270101T100000Z', 0, 'urn:x'));
    const q = queue(rows);
    const before = sink.messages.length;
    const summary = await drainOutbound(q.claim, q.mark, mailer, { batch: 3, now: () => NOW });
    assert.deepEqual(summary, { sent: 7, skipped: 1, retried: 0, failed: 1 });
    assert.equal(sink.messages.length - before, 7);
    assert.equal(q.marks.get('past')?.status, 'skipped');
    assert.equal(q.marks.get('bad')?.status, 'failed');
    assert.equal(q.marks.get('r0')?.status, 'sent');
  });

  it('a 4xx is retried with a doubling wait until maxAttempts; a 5xx fails at once', async () => {
    sink.rejectNext = { code: 451, text: '4.3.0 busy' };
    const q = queue([row('t1', '20270101T100000Z', 2)]);
    await drainOutbound(q.claim, q.mark, mailer, { now: () => NOW, baseBackoffMs: 1000 });
    assert.deepEqual(q.marks.get('t1'), { status: 'retry', error: '451 4.3.0 busy', notBefore: new Date(NOW + 4000) });
    sink.rejectNext = { code: 550, text: '5.1.1 unknown' };
    const q2 = queue([row('p1', '20270101T100000Z')]);
    await drainOutbound(q2.claim, q2.mark, mailer, { now: () => NOW });
    assert.equal(q2.marks.get('p1')?.status, 'failed');
    const transient = { ok: false, status: 'failed', error: 'e', permanent: false } as const;
    assert.equal(outcomeOf(transient, 7, { maxAttempts: 8 }).status, 'failed', 'the 8th attempt was the last');
    const capped = outcomeOf(transient, 30, { maxAttempts: 100, now: () => NOW, maxBackoffMs: 5000 });
    assert.deepEqual(capped, { status: 'retry', error: 'e', notBefore: new Date(NOW + 5000) });
  });

  it('stops after maxPerDrain', async () => {
    const q = queue(Array.from({ length: 5 }, (_, i) => row(`m${i}`, '20270101T100000Z')));
    const summary = await drainOutbound(q.claim, q.mark, mailer, { maxPerDrain: 2, now: () => NOW });
    assert.equal(summary.sent, 2);
    assert.equal(q.marks.size, 2);
  });
});
