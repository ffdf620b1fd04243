import { createHash } from 'node:crypto';
import { homePaths } from '../domain/users.js';
import { wrongTargetReason } from '../formats/data-kind.js';
import { ensureUid } from '../formats/vcard/ensure-uid.js';
import { splitVcards } from '../formats/vcard/split.js';
import { negotiate, representCard } from '../formats/vcard/represent.js';
import type { Store } from '../store/store.js';
import type { Resource } from '../store/types.js';
import type { CommandIo } from './command.js';
import { CliError } from './errors.js';
import type { Refusal } from '../domain/objects/object-refused.js';
import { importBatch } from './import-object.js';

const BATCH = 200;

async function addressbookOf(store: Store, user: string, book: string, use: 'import' | 'export'): Promise<Resource> {
  if (!(await store.getUserByName(user))) throw new CliError(`no such user '${user}'`);
  const coll = await store.getResource(`${homePaths(user).addressbooks}/${book}`);
  if (!coll || coll.collectionType !== 'addressbook') {
    const cal = await store.getResource(`${homePaths(user).calendars}/${book}`);
    if (cal?.collectionType === 'calendar') {
      throw new CliError(
        use === 'import'
          ? `'${book}' is a calendar of '${user}', but ${wrongTargetReason('vcard')}`
          : `'${book}' is a calendar of '${user}'; export it without --addressbook`,
      );
    }
    throw new CliError(`'${user}' has no address book '${book}'`);
  }
  return coll;
}

function cardName(uid: string): string {
  const safe = /^[A-Za-z0-9@._-]{1,120}$/.test(uid) ? uid : createHash('sha256').update(uid).digest('hex').slice(0, 32);
  return `${safe}.vcf`;
}

/** Why a card was not imported, as the import lists it. */
function skipReason(r: Refusal): string {
  if (r.code === 'precondition-failed' || (r.code === 'card-data' && r.error.reason === 'no-uid-conflict'))
    return 'UID already in the address book';
  if (r.code === 'card-data') return `${r.error.reason}: ${r.error.message}`;
  return r.code;
}

export type Progress = (done: number, total: number) => void;

/**
 * Import every card of a .vcf into an address book, under the same rules as a CardDAV PUT
 * (the domain write path). Returns what was imported and what was skipped, with why.
 */
export async function importVcards(
  store: Store,
  user: string,
  book: string,
  text: string,
  progress: Progress,
): Promise<{ imported: number; total: number; generatedUids: number; skipped: { what: string; reason: string }[] }> {
  const coll = await addressbookOf(store, user, book, 'import');
  const { cards, skipped: bad } = splitVcards(text);
  const skipped = bad.map((b) => ({ what: `card #${b.index + 1}`, reason: `not a vCard: ${b.reason}` }));
  let imported = 0;
  let generatedUids = 0;
  const owner = { id: coll.ownerId, name: user };
  for (let i = 0; i < cards.length; i += BATCH) {
    // A card without UID gets one, as in the web app's import (formats/vcard/ensure-uid).
    const batch = cards.slice(i, i + BATCH).map((text) => ensureUid(text));
    const items = batch.map(({ card, uid }) => ({
      path: `${coll.path}/${cardName(uid)}`,
      body: new TextEncoder().encode(card),
      contentType: 'text/vcard',
    }));
    for (const [k, refusal] of (await importBatch(store, homePaths(user).addressbooks, owner, items)).entries()) {
      const generated = batch[k]?.generated === true;
      if (refusal === null) {
        imported += 1;
        if (generated) generatedUids += 1;
      } else
        skipped.push({
          what: generated ? `card #${i + k + 1}` : `UID ${batch[k]?.uid ?? ''}`,
          reason: skipReason(refusal),
        });
    }
    progress(Math.min(i + BATCH, cards.length), cards.length);
  }
  return { imported, total: cards.length + bad.length, generatedUids, skipped };
}

/** Every card of an address book as one .vcf in the stored version (or another, `3.0`/`4.0`). */
export async function exportVcards(store: Store, user: string, book: string, io: CommandIo): Promise<string> {
  const coll = await addressbookOf(store, user, book, 'export');
  const rep = negotiate('text/vcard');
  const parts: string[] = [];
  for (const m of await store.listChildren(coll.id)) {
    if (m.isCollection) continue;
    const text = new TextDecoder().decode(await store.readBody(m.id));
    try {
      const out = m.contentType?.includes('json') ? representCard(text, m.contentType, rep) : text;
      parts.push(out.endsWith('\n') ? out : `${out}\r\n`);
    } catch {
      io.err(`skipped ${m.path}: not a vCard`);
    }
  }
  return parts.join('');
}
