import { createHash } from 'node:crypto';
import { contentEtag } from '../dav/core/members.js';
import { CardRejected, prepareCard } from '../domain/contacts/object.js';
import { homePaths } from '../domain/users.js';
import { wrongTargetReason } from '../formats/data-kind.js';
import { ensureUid } from '../formats/vcard/ensure-uid.js';
import { splitVcards } from '../formats/vcard/split.js';
import { negotiate, representCard } from '../formats/vcard/represent.js';
import { DEFAULT_CONFIG } from '../http/config.js';
import type { Store } from '../store/store.js';
import type { Resource } from '../store/types.js';
import type { CommandIo } from './command.js';
import { CliError } from './errors.js';

const BATCH = 200;

export async function addressbookOf(store: Store, user: string, book: string, use: 'import' | 'export'): Promise<Resource> {
  if (!(await store.getUserByName(user))) throw new CliError(`no such user '${user}'`);
  const coll = await store.getResource(`${homePaths(user).addressbooks}/${book}`);
  if (!coll || coll.collectionType !== 'addressbook') {
    const cal = await store.getResource(`${homePaths(user).calendars}/${book}`);
    if (cal?.collectionType === 'calendar') {
      throw new CliError(use === 'import'
        ? `'${book}' is a calendar of '${user}', but ${wrongTargetReason('vcard')}`
        : `'${book}' is a calendar of '${user}'; export it without --addressbook`);
    }
    throw new CliError(`'${user}' has no address book '${book}'`);
  }
  return coll;
}

function cardName(uid: string): string {
  const safe = /^[A-Za-z0-9@._-]{1,120}$/.test(uid) ? uid : createHash('sha256').update(uid).digest('hex').slice(0, 32);
  return `${safe}.vcf`;
}

export type Progress = (done: number, total: number) => void;

/**
 * Import every card of a .vcf into an address book, under the same rules as a CardDAV PUT
 * (domain/contacts prepareCard). Returns what was imported and what was skipped, with why.
 */
export async function importVcards(
  store: Store, user: string, book: string, text: string, progress: Progress,
): Promise<{ imported: number; total: number; generatedUids: number; skipped: { what: string; reason: string }[] }> {
  const coll = await addressbookOf(store, user, book, 'import');
  const { cards, skipped: bad } = splitVcards(text);
  const skipped = bad.map((b) => ({ what: `card #${b.index + 1}`, reason: `not a vCard: ${b.reason}` }));
  let imported = 0;
  let generatedUids = 0;
  for (let i = 0; i < cards.length; i += BATCH) {
    await store.transaction([homePaths(user).addressbooks], async (tx) => {
      for (const [k, text] of cards.slice(i, i + BATCH).entries()) {
        // A card without UID gets one, as in the web app's import (formats/vcard/ensure-uid).
        const { card, uid, generated } = ensureUid(text);
        const body = new TextEncoder().encode(card);
        const what = generated ? `card #${i + k + 1}` : `UID ${uid}`;
        try {
          const path = `${coll.path}/${cardName(uid)}`;
          if (await tx.getResource(path)) throw new CardRejected('no-uid-conflict', 'already in the address book', path);
          const p = await prepareCard(tx, coll, path, body, 'text/vcard', null, DEFAULT_CONFIG.maxUploadBytes);
          await tx.putObject(`${coll.path}/${cardName(p.uid)}`, {
            ownerId: coll.ownerId, body: p.body, contentType: p.contentType, etag: contentEtag(p.body), index: p.index, origin: 'import',
          });
          imported += 1;
          if (generated) generatedUids += 1;
        } catch (err) {
          if (!(err instanceof CardRejected)) throw err;
          skipped.push({ what, reason: err.reason === 'no-uid-conflict' ? 'UID already in the address book' : `${err.reason}: ${err.message}` });
        }
      }
    });
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
