/** `almanac import USER CALENDAR FILE.ics` and `almanac export USER CALENDAR`, as a user runs them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { APPENDIX_B } from '../../e2e/rfc4791/appendix-b.js';

const BIN = join(fileURLToPath(new URL('../../../../', import.meta.url)), 'bin', 'almanac.js');
let dir: string;

function almanac(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ALMANAC_')));
  const r = spawnSync(process.execPath, [BIN, ...args, '--data', dir], {
    input: 'pw\n',
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'almanac-import-'));
  assert.equal(almanac('user', 'add', 'alice', '--password-stdin').code, 0);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('almanac import / export', () => {
  it('imports a multi-object .ics, reports what it skipped and why, exports it back', () => {
    // One stream: the Appendix B events, tasks and VFREEBUSY (the default calendar takes every
    // component type, RFC 4791 §5.2.3), a component without UID, and an invalid DTSTART.
    const bodies = Object.values(APPENDIX_B).map((t) =>
      t.replace(/^BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:[^\r]*\r\n/, '').replace(/END:VCALENDAR\r\n$/, ''),
    );
    const stream =
      `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${bodies.join('')}` +
      'BEGIN:VEVENT\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nSUMMARY:No uid\r\nEND:VEVENT\r\n' +
      'BEGIN:VEVENT\r\nUID:broken\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:2024-01-01\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const file = join(dir, 'in.ics');
    writeFileSync(file, stream);
    const r = almanac('import', 'alice', 'default', file);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /\[#{20}\] 100% \d+\/\d+/);
    assert.match(r.stdout, /Imported 8 of 10 objects into alice\/default/);
    assert.match(r.stdout, /Skipped 2:/);
    assert.match(r.stdout, /1 × no UID: VEVENT No uid/);
    assert.match(r.stdout, /valid-calendar-data.*UID broken|UID broken/);

    const again = almanac('import', 'alice', 'default', file);
    assert.match(again.stdout, /Imported 0 of 10/);
    assert.match(again.stdout, /8 × already in the calendar/);

    const out = almanac('export', 'alice', 'default');
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.match(/BEGIN:VCALENDAR/g)?.length, 1);
    assert.equal(out.stdout.match(/BEGIN:VEVENT/g)?.length, 4, 'abcd1, abcd2 (master + override), abcd3');
    assert.equal(out.stdout.match(/BEGIN:VTODO/g)?.length, 4);
    assert.equal(out.stdout.match(/BEGIN:VFREEBUSY/g)?.length, 1);
    assert.equal(out.stdout.match(/BEGIN:VTIMEZONE/g)?.length, 1);
  });

  it('RFC 4791 §4.1: a whole-calendar export with more components than one object may hold (2,600 events with alarms) is imported whole', () => {
    // Each event is an object of its own once split; the file as a whole is over
    // MAX_COMPONENTS_PER_OBJECT (5,000), which `almanac import` used to apply to the whole file.
    const zone =
      'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n';
    const events = Array.from(
      { length: 2600 },
      (_, i) =>
        `BEGIN:VEVENT\r\nUID:big-${i}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20240301T${String(8 + (i % 10)).padStart(2, '0')}0000\r\n` +
        `DURATION:PT1H\r\nSUMMARY:Event ${i}\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\nEND:VEVENT\r\n`,
    );
    const file = join(dir, 'big.ics');
    writeFileSync(
      file,
      `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//big//EN\r\n${zone}${events.join('')}END:VCALENDAR\r\n`,
    );
    const r = almanac('import', 'alice', 'default', file);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /Imported 2600 of 2600 objects into alice\/default/);
    const out = almanac('export', 'alice', 'default');
    assert.equal(out.code, 0, out.stderr);
    for (const i of [0, 1299, 2599]) assert.match(out.stdout, new RegExp(`UID:big-${i}\r\n`));
  });

  it('names a missing calendar or user in one error line', () => {
    const r = almanac('export', 'alice', 'nope');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^almanac: 'alice' has no calendar 'nope'/);
    assert.match(almanac('export', 'zed', 'default').stderr, /no such user 'zed'/);
  });
});
