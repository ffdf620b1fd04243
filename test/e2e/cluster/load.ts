/**
 * A bounded write load through the balancer for the fault tests: each writer owns its objects
 * and writes them in turn with rising revisions, retrying as a DAV client does; a write counts
 * as acknowledged only when a 2xx came back. `verify` then reads every object and checks that it
 * holds its last acknowledged revision (or a later one that was sent but not acknowledged).
 */
import assert from 'node:assert/strict';
import { ask, askRetrying, type Answer } from '../../helpers/cluster.js';

const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
export const LOAD_CAL = '/dav/calendars/alice/default/';

function event(uid: string, rev: number): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac tests//cluster load//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260301T090000Z',
    'DURATION:PT1H',
    `SUMMARY:rev ${rev}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export interface WriteLoad {
  /** Resolves when every writer has stopped (after `stop()`). */
  readonly done: Promise<void>;
  stop(): void;
  /** Acknowledged writes so far. */
  acknowledged(): number;
  /** Answers other than 2xx that the writers saw (and retried), by status ('error' = no answer). */
  readonly failures: Map<string, number>;
  /** Every object holds its last acknowledged revision or the one sent after it. */
  verify(base: string): Promise<void>;
}

export function startWriteLoad(base: string, writers: number, objectsPerWriter = 4): WriteLoad {
  let running = true;
  let acked = 0;
  const failures = new Map<string, number>();
  const last = new Map<string, { acked: number; sent: number }>();
  const count = (k: string): void => void failures.set(k, (failures.get(k) ?? 0) + 1);
  const writer = async (w: number): Promise<void> => {
    for (let rev = 1; running; rev++) {
      const uid = `load-${w}-${rev % objectsPerWriter}`;
      const state = last.get(uid) ?? { acked: 0, sent: 0 };
      last.set(uid, { ...state, sent: rev });
      let a: Answer & { tries: number };
      try {
        a = await askRetrying(base, `${LOAD_CAL}${uid}.ics`, { method: 'PUT', headers: ICS, body: event(uid, rev) });
      } catch (err) {
        count(`gave up: ${(err as Error).message}`);
        continue;
      }
      if (a.tries > 1) count(`retried (${a.tries - 1})`);
      if (a.status !== 201 && a.status !== 204) {
        count(String(a.status));
        continue;
      }
      last.set(uid, { acked: rev, sent: rev });
      acked += 1;
    }
  };
  const done = Promise.all(Array.from({ length: writers }, (_, w) => writer(w))).then(() => undefined);
  return {
    done,
    stop: () => void (running = false),
    acknowledged: () => acked,
    failures,
    async verify(at: string): Promise<void> {
      for (const [uid, { acked: a, sent }] of last) {
        const got = await ask(at, `${LOAD_CAL}${uid}.ics`);
        if (a === 0 && got.status === 404) continue;
        assert.equal(got.status, 200, `${uid}: acknowledged rev ${a} but GET says ${got.status}`);
        const rev = Number(/SUMMARY:rev (\d+)/.exec(got.text)?.[1]);
        assert.ok(rev === a || rev === sent, `${uid}: holds rev ${rev}, acknowledged ${a} (last sent ${sent})`);
      }
    },
  };
}

/** Poll `check` every 50 ms until it holds or `ms` pass. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
