import { readFileSync } from 'node:fs';
import { homePaths } from '../domain/users.js';
import { displayNameOf } from '../domain/calendar/display-name.js';
import { decodeCalendarText, parseCalendar } from '../formats/ical/parse.js';
import { mergeCalendars } from '../formats/ical/merge.js';
import { splitCalendarText, type SplitCalendars } from '../formats/ical/split.js';
import type { IcalComponent } from '../formats/ical/ical.js';
import type { Store } from '../store/store.js';
import type { Resource } from '../store/types.js';
import { STORE_OPTIONS, storeLocation, type StoreLocation } from './args.js';
import type { Command, CommandIo } from './command.js';
import { CliError } from './errors.js';
import { withStore } from './store.js';
import { exportVcards, importVcards } from './contacts-io.js';
import { dataKind, wrongTargetReason } from '../formats/data-kind.js';
import { generatedUidsNote } from '../formats/vcard/ensure-uid.js';
import type { Refusal } from '../domain/objects/object-refused.js';
import { importCalendarObjects, type ImportOutcome } from './import-calendar-objects.js';
import { PreparePool } from './import-prepare-pool.js';

async function calendarOf(store: Store, user: string, calendar: string, use: 'import' | 'export'): Promise<Resource> {
  if (!(await store.getUserByName(user))) throw new CliError(`no such user '${user}'`);
  const path = `${homePaths(user).calendars}/${calendar}`;
  const coll = await store.getResource(path);
  if (!coll || coll.collectionType !== 'calendar') {
    const book = await store.getResource(`${homePaths(user).addressbooks}/${calendar}`);
    if (book?.collectionType === 'addressbook') {
      throw new CliError(
        use === 'import'
          ? `'${calendar}' is an address book of '${user}', but ${wrongTargetReason('icalendar')}`
          : `'${calendar}' is an address book of '${user}'; export it with --addressbook`,
      );
    }
    throw new CliError(`'${user}' has no calendar '${calendar}'`);
  }
  return coll;
}

function progress(io: CommandIo, done: number, total: number, last: { shown: number }): void {
  const pct = total === 0 ? 100 : Math.floor((done * 100) / total);
  if (pct < last.shown + 10 && done !== total) return;
  last.shown = pct;
  const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
  io.err(`[${bar}] ${String(pct).padStart(3)}% ${done}/${total}`);
}

function printSkipped(io: CommandIo, skipped: readonly { what: string; reason: string }[]): void {
  if (skipped.length === 0) return;
  io.out(`Skipped ${skipped.length}:`);
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.what]);
  for (const [reason, what] of byReason) {
    io.out(`  ${what.length} × ${reason}: ${what.slice(0, 5).join(', ')}${what.length > 5 ? ', …' : ''}`);
  }
}

/** Why an object was not imported, as the import lists it. */
function skipReason(r: Refusal): string {
  if (r.code === 'calendar-data') return `${r.error.code}: ${r.error.message}`;
  if (r.code === 'calendar-uid-conflict' || r.code === 'precondition-failed') return 'already in the calendar';
  return r.code;
}

/**
 * The iCalendar half of `almanac import`: the file split into objects (one per UID), written in
 * batches; returns the exit code.
 */
async function importCalendarFile(
  location: StoreLocation,
  io: CommandIo,
  user: string,
  calendar: string,
  file: string,
  text: Buffer,
): Promise<number> {
  // The prepare workers load their modules while this thread splits the file and opens the store.
  const pool = PreparePool.start();
  let split: SplitCalendars;
  let imported = 0;
  try {
    try {
      split = splitCalendarText(decodeCalendarText(text));
    } catch (err) {
      throw new CliError(`${file} is not iCalendar: ${(err as Error).message}`);
    }
    const { objects, skipped } = split;
    await withStore(location, async (store) => {
      const coll = await calendarOf(store, user, calendar, 'import');
      const last = { shown: -10 };
      const onBatch = (outcomes: readonly ImportOutcome[], done: number): void => {
        for (const { uid, refusal } of outcomes) {
          if (refusal === null) imported += 1;
          else skipped.push({ what: `UID ${uid}`, reason: skipReason(refusal) });
        }
        progress(io, done, objects.length, last);
      };
      await importCalendarObjects(store, coll, user, objects, onBatch, pool);
    });
  } finally {
    await pool.close();
  }
  const { objects, skipped } = split;
  io.out(
    `Imported ${imported} of ${objects.length + skipped.filter((s) => s.reason === 'no UID').length} objects into ${user}/${calendar}`,
  );
  printSkipped(io, skipped);
  return skipped.length > 0 && imported === 0 && objects.length > 0 ? 1 : 0;
}

export const calendarImport: Command = {
  name: 'import',
  args: ['USER', 'COLLECTION', 'FILE'],
  summary: "import an .ics file into a user's calendar, or a .vcf into an address book (skipped items are listed)",
  options: { ...STORE_OPTIONS },
  async run(args, io) {
    const [user = '', calendar = '', file = ''] = args.positionals;
    let text: Buffer;
    try {
      text = readFileSync(file);
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
    if (dataKind(text.toString('utf8', 0, 256)) === 'vcard') {
      const last = { shown: -10 };
      const r = await withStore(storeLocation(args), (store) =>
        importVcards(store, user, calendar, text.toString('utf8'), (done, total) => progress(io, done, total, last)),
      );
      io.out(`Imported ${r.imported} of ${r.total} cards into ${user}/${calendar}`);
      if (r.generatedUids > 0) io.out(generatedUidsNote(r.generatedUids));
      printSkipped(io, r.skipped);
      return r.skipped.length > 0 && r.imported === 0 && r.total > 0 ? 1 : 0;
    }
    return importCalendarFile(storeLocation(args), io, user, calendar, file, text);
  },
};

export const calendarExport: Command = {
  name: 'export',
  args: ['USER', 'COLLECTION'],
  summary: "write a user's calendar to stdout as one .ics (with --addressbook: an address book as one .vcf)",
  options: {
    ...STORE_OPTIONS,
    addressbook: { type: 'boolean', description: 'export the address book COLLECTION instead of the calendar' },
  },
  async run(args, io) {
    const [user = '', calendar = ''] = args.positionals;
    if (args.flag('addressbook')) {
      const vcf = await withStore(storeLocation(args), (store) => exportVcards(store, user, calendar, io));
      io.out(vcf.replace(/\r\n$/, ''));
      return 0;
    }
    const text = await withStore(storeLocation(args), async (store) => {
      const coll = await calendarOf(store, user, calendar, 'export');
      const name = await displayNameOf(store, coll);
      const roots: IcalComponent[] = [];
      for (const m of await store.listChildren(coll.id)) {
        if (m.isCollection) continue;
        try {
          roots.push(parseCalendar(await store.readBody(m.id)));
        } catch {
          io.err(`skipped ${m.path}: not iCalendar`);
        }
      }
      return mergeCalendars(roots, undefined, name);
    });
    io.out(text.replace(/\r\n$/, ''));
    return 0;
  },
};
