import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { perUserPart, withPerUserPart } from './per-user.js';

const alarm = (note: string) =>
  `BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:${note}\r\nTRIGGER:-PT5M\r\nEND:VALARM\r\n`;
const vevent = (extra: string, rid = '') =>
  `BEGIN:VEVENT\r\nUID:u1\r\nDTSTAMP:20260101T000000Z\r\n${rid}DTSTART:20260110T100000Z\r\nSUMMARY:S\r\n${extra}END:VEVENT\r\n`;
const cal = (...parts: string[]) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n${parts.join('')}END:VCALENDAR\r\n`;
const RID = 'RECURRENCE-ID:20260111T100000Z\r\n';

describe('per-user calendar data (caldav-sharing §5.5.4)', () => {
  it('perUserPart keeps UID, RECURRENCE-ID, TRANSP and VALARMs of each component that has any', () => {
    const part = perUserPart(cal(vevent(`TRANSP:TRANSPARENT\r\n${alarm('a')}`), vevent('', RID)));
    assert.ok(part);
    assert.match(part, /UID:u1/);
    assert.match(part, /TRANSP:TRANSPARENT/);
    assert.match(part, /DESCRIPTION:a/);
    assert.doesNotMatch(part, /SUMMARY|RECURRENCE-ID/, 'the override has no per-user part: no stub');
    assert.equal(perUserPart(cal(vevent(''))), null);
  });

  it('withPerUserPart replaces each component’s parts by the matching component’s (UID + RECURRENCE-ID)', () => {
    const stored = cal(vevent(`TRANSP:OPAQUE\r\n${alarm('owner')}`), vevent(alarm('owner-rid'), RID));
    const mine = perUserPart(cal(vevent(''), vevent(alarm('mine-rid'), RID)));
    const merged = withPerUserPart(stored, mine);
    assert.doesNotMatch(merged, /owner|TRANSP/);
    assert.match(merged, /RECURRENCE-ID[^]*mine-rid/);
    assert.match(merged, /SUMMARY:S/);
    const stripped = withPerUserPart(stored, null);
    assert.doesNotMatch(stripped, /VALARM|TRANSP/);
  });

  it('text with nothing per-user and no part comes back unchanged', () => {
    const text = cal(vevent(''));
    assert.equal(withPerUserPart(text, null), text);
  });
});
