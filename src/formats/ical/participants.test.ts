/**
 * The editor's meeting model (participants.ts): the organizer's attendee list written as
 * ORGANIZER/ATTENDEE (RFC 5545 §3.8.4.1, §3.8.4.3; RFC 6638 §3.2.1) and an attendee's answer
 * limited to their own PARTSTAT (RFC 6638 §3.2.2.1), for the series or one occurrence (§3.8.4.4).
 */
process.env.TZ = 'Europe/Berlin';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCalendar } from './edit-time.js';
import { createEvent, editEvent, readEvent, respondToEvent, type EventForm } from './event-form.js';
import { attendeesOf, myPart, organizerOf, personOf, type Participant } from './participants.js';
import { parseCalendar as parseObject } from './parse.js';
import { validateCalendarObject } from './validate.js';

const alice = { emails: ['alice@example.com'], name: 'Alice' };
const bob = { emails: ['BOB@example.com'], name: 'Bob' };
const invite = (email: string, name = ''): Participant => ({
  email,
  name,
  status: 'NEEDS-ACTION',
  role: 'REQ-PARTICIPANT',
  comment: '',
});
const form = (patch: Partial<EventForm> = {}): EventForm => ({
  title: 'Planning',
  location: '',
  description: '',
  allDay: false,
  start: '2027-03-10T10:00',
  end: '2027-03-10T11:00',
  tz: 'Europe/Berlin',
  reminders: [],
  organizer: null,
  attendees: [],
  rule: null,
  ...patch,
});
const unfolded = (data: string): string => data.replace(/\r\n[ \t]/g, '');
const master = (data: string) => parseCalendar(data).getFirstSubcomponent('vevent')!;

describe('meetings in the event editor (RFC 6638 §3.2)', () => {
  it('§3.2.1: a new meeting names the organizer, who is also a CHAIR attendee who accepted; invitees need action with RSVP', () => {
    const data = unfolded(
      createEvent(
        form({
          organizer: { email: 'alice@example.com', name: 'Alice' },
          attendees: [invite('bob@example.com', 'Bob')],
        }),
        'm-1',
      ).data,
    );
    assert.match(data, /ORGANIZER;CN=Alice:mailto:alice@example\.com/);
    assert.match(data, /ATTENDEE;CN=Alice;CUTYPE=INDIVIDUAL;ROLE=CHAIR;PARTSTAT=ACCEPTED:mailto:alice@example\.com/);
    assert.match(
      data,
      /ATTENDEE;CN=Bob;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example\.com/,
    );
    validateCalendarObject(parseObject(data), { components: ['VEVENT'] });
    assert.equal(myPart(master(data), alice), 'organizer');
    assert.equal(myPart(master(data), bob), 'attendee', 'addresses compare without case');
  });

  it("an edit keeps each attendee's own answer, adds new ones, drops removed ones; an empty list makes a plain event", () => {
    const { data } = createEvent(
      form({
        organizer: { email: 'alice@example.com', name: 'Alice' },
        attendees: [invite('bob@example.com'), invite('carol@example.com')],
      }),
      'm-2',
    );
    const answered = unfolded(data).replace(
      /PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob/,
      'PARTSTAT=ACCEPTED;X-RESPONSE-COMMENT=Fine:mailto:bob',
    );
    assert.notEqual(answered, unfolded(data));
    const f = readEvent(parseCalendar(answered), null);
    assert.equal(f.organizer?.email, 'alice@example.com');
    const next = editEvent(
      answered,
      { ...f, attendees: [...f.attendees.filter((a) => a.email !== 'carol@example.com'), invite('dan@example.com')] },
      null,
      'all',
    ).update!;
    const list = attendeesOf(master(next));
    assert.deepEqual(
      list.map((a) => [a.email, a.status]),
      [
        ['alice@example.com', 'ACCEPTED'],
        ['bob@example.com', 'ACCEPTED'],
        ['dan@example.com', 'NEEDS-ACTION'],
      ],
    );
    assert.equal(list[1]?.comment, 'Fine');
    const plain = editEvent(next, { ...readEvent(parseCalendar(next), null), attendees: [] }, null, 'all').update!;
    assert.equal(organizerOf(master(plain)), null);
    assert.deepEqual(attendeesOf(master(plain)), []);
  });

  it('a meeting without an organizer address is refused with a message, not written half', () => {
    assert.throws(() => createEvent(form({ attendees: [invite('bob@example.com')] })), /organizer address/);
  });
});

describe('meetings in the event editor: attendees answering (RFC 6638 §3.2.2)', () => {
  it('§3.2.2.1: an attendee answers: only their PARTSTAT and comment change, RSVP goes, SEQUENCE stays', () => {
    const { data } = createEvent(
      form({ organizer: { email: 'alice@example.com', name: 'Alice' }, attendees: [invite('bob@example.com')] }),
      'm-3',
    );
    const seq = master(data).getFirstPropertyValue('sequence');
    const answered = respondToEvent(data, bob, 'TENTATIVE', 'Maybe late', null);
    const mine = attendeesOf(master(answered)).find((a) => a.email === 'bob@example.com')!;
    assert.deepEqual([mine.status, mine.comment], ['TENTATIVE', 'Maybe late']);
    assert.doesNotMatch(unfolded(answered), /RSVP=TRUE/);
    assert.equal(master(answered).getFirstPropertyValue('sequence'), seq);
    assert.equal(attendeesOf(master(answered))[0]?.status, 'ACCEPTED', "the organizer's entry is untouched");
    assert.throws(
      () => respondToEvent(data, { emails: ['eve@example.com'], name: '' }, 'ACCEPTED', '', null),
      /not among the attendees/,
    );
  });

  it('RFC 5546 §3.2.3 / RFC 5545 §3.8.4.4: declining one occurrence writes an override for it; the series keeps its answer', () => {
    const { data } = createEvent(
      form({
        organizer: { email: 'alice@example.com', name: 'Alice' },
        attendees: [invite('bob@example.com')],
        rule: { freq: 'WEEKLY', interval: 1, byDay: ['WE'], monthly: 'date', end: 'never' },
      }),
      'm-4',
    );
    const accepted = respondToEvent(data, bob, 'ACCEPTED', '', null);
    const occurrence = {
      recurrenceId: '2027-03-17T10:00:00',
      start: new Date('2027-03-17T09:00:00Z'),
      end: new Date('2027-03-17T10:00:00Z'),
      recurring: true,
      first: false,
    } as never;
    const declined = respondToEvent(accepted, bob, 'DECLINED', 'Away', occurrence);
    const comps = parseCalendar(declined).getAllSubcomponents('vevent');
    assert.equal(comps.length, 2);
    const override = comps.find((c) => c.hasProperty('recurrence-id'))!;
    assert.equal(attendeesOf(override).find((a) => a.email === 'bob@example.com')?.status, 'DECLINED');
    assert.equal(
      attendeesOf(comps.find((c) => !c.hasProperty('recurrence-id'))!).find((a) => a.email === 'bob@example.com')
        ?.status,
      'ACCEPTED',
    );
    validateCalendarObject(parseObject(declined), { components: ['VEVENT'] });
  });

  it('what a user types as an attendee', () => {
    assert.deepEqual(personOf('Ana Lima <ana@example.com>'), { name: 'Ana Lima', email: 'ana@example.com' });
    assert.deepEqual(personOf('"Lima, Ana" <mailto:ana@example.com>'), { name: 'Lima, Ana', email: 'ana@example.com' });
    assert.deepEqual(personOf(' ana@example.com '), { name: '', email: 'ana@example.com' });
    assert.equal(personOf('Ana Lima'), null);
    assert.equal(personOf('a b@example.com'), null);
  });
});
