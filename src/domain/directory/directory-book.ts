/**
 * The server-wide directory address book (issue #17 item 5, draft-daboo-carddav-directory-gateway):
 * one read-only address book with a card per user and per group, derived like the birthday
 * calendar. Its cards are written by `updateDirectory` in the transaction of the user or group
 * change that calls for them (domain/users.ts, domain/accounts/*), through `replaceMembers`, so
 * its change feed and sync token move exactly then. It is owned by the server's own account
 * (`systemAccountId`, which no users query returns) and readable by every authenticated user
 * through an ACE to DAV:authenticated; as a derived collection nobody may write it
 * (domain/objects/privileges.ts).
 */
import type { Group } from '../../store/capabilities/acl.js';
import type { StoreTx } from '../../store/store.js';
import type { Resource, User } from '../../store/types.js';
import { el } from '../../xml/element.js';
import { carddav, dav } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';
import { replaceMembers, type ReplaceOutcome, type WantedMember } from '../calendar/derived-members.js';
import { CardRejected, prepareCard } from '../contacts/object.js';
import { groupCard, userCard } from './directory-card.js';

/** The system account's address book home, and the directory book in it. */
const DIRECTORY_HOME = '/addressbooks/__directory__';
export const DIRECTORY_BOOK = `${DIRECTORY_HOME}/directory`;
/** The lock key of every transaction that may write the directory (users, groups). */
export const DIRECTORY_KEY = `${DIRECTORY_BOOK}#cards`;
/**
 * Most results one addressbook-query of the directory returns; past it the answer is truncated
 * with DAV:number-of-matches-within-limits (RFC 6352 §8.6.2, draft §5): enough for any
 * autocomplete list, little enough that a one-letter search of a large directory stays cheap.
 */
export const DIRECTORY_RESULT_LIMIT = 250;

const ORIGIN = 'directory';
/** A directory card's largest size: a group of some 100,000 members. */
const MAX_CARD = 8 * 1024 * 1024;

const userMember = (id: number): string => `user-${id}.vcf`;
const groupMember = (id: number): string => `group-${id}.vcf`;

/** What changed: the users and groups whose cards to recompute; 'all' rebuilds the whole book. */
export type DirectoryChange = 'all' | { readonly users?: readonly number[]; readonly groups?: readonly number[] };

function properties(): { name: string; xml: string }[] {
  const p = (name: string, value: string) => ({ name, xml: serializeXml(el(name, {}, value), false) });
  return [
    p(dav('displayname'), 'Directory'),
    p(
      carddav('addressbook-description'),
      'Every user and group of this server (read-only, kept up to date by the server)',
    ),
  ];
}

/** The book, made with its home, properties and read ACE the first time. */
async function ensureBook(tx: StoreTx): Promise<{ book: Resource; made: boolean } | null> {
  const found = await tx.getResource(DIRECTORY_BOOK);
  if (found) return found.derived === 'directory' ? { book: found, made: false } : null;
  const ownerId = await tx.systemAccountId();
  if (!(await tx.getResource(DIRECTORY_HOME))) await tx.createCollection(DIRECTORY_HOME, { ownerId, home: true });
  const book = await tx.createCollection(DIRECTORY_BOOK, {
    ownerId,
    collectionType: 'addressbook',
    derived: 'directory',
    origin: ORIGIN,
  });
  await tx.patchProperties(book.id, properties(), []);
  // Every authenticated user reads it (draft §6: not the unauthenticated).
  await tx.setAces(book.id, [{ principal: { kind: 'authenticated' }, privileges: ['read'] }]);
  return { book, made: true };
}

async function cardOf(tx: StoreTx, book: Resource, name: string, text: string): Promise<WantedMember | null> {
  try {
    const p = await prepareCard(
      tx,
      book,
      `${book.path}/${name}`,
      new TextEncoder().encode(text),
      'text/vcard',
      MAX_CARD,
    );
    return { body: p.body, index: p.index, contentType: p.contentType };
  } catch (err) {
    if (err instanceof CardRejected) return null; // too large: left out rather than block the change
    throw err;
  }
}

const person = (u: User) => ({
  id: u.id,
  createdAt: u.createdAt,
  name: u.name,
  displayName: u.displayName,
  email: u.email,
});

/**
 * Bring the directory's cards of the changed users and groups up to date, in the caller's
 * transaction: a user or group that is gone loses its card, a changed one gets its new card,
 * an unchanged card is not rewritten. Proxy groups (owned by a user) are not in the directory.
 * The first call makes the book and fills it with everyone.
 */
export async function updateDirectory(tx: StoreTx, change: DirectoryChange): Promise<ReplaceOutcome | null> {
  const ensured = await ensureBook(tx);
  if (!ensured) return null; // something else sits at its path
  const { book, made } = ensured;
  const all = made || change === 'all';
  const users: User[] = [];
  const groups: Group[] = [];
  const names = new Set<string>();
  if (all) {
    users.push(...(await tx.listUsers()));
    groups.push(...(await tx.listGroups()));
  } else {
    for (const id of new Set(change.users ?? [])) {
      names.add(userMember(id));
      const u = await tx.getUserById(id);
      if (u) users.push(u);
    }
    for (const id of new Set(change.groups ?? [])) {
      names.add(groupMember(id));
      const g = await tx.getGroupById(id);
      if (g && g.owner === null) groups.push(g);
    }
  }
  const wanted = new Map<string, WantedMember>();
  for (const u of users) {
    const card = await cardOf(tx, book, userMember(u.id), userCard(person(u)));
    if (card) wanted.set(userMember(u.id), card);
  }
  for (const g of groups) {
    const members = (await tx.groupMembers(g.id)).map(person);
    const card = await cardOf(tx, book, groupMember(g.id), groupCard({ ...g, members }));
    if (card) wanted.set(groupMember(g.id), card);
  }
  return replaceMembers(tx, book, wanted, ORIGIN, () => true, all ? null : names);
}

/** The groups a user is in that the directory lists (to recompute their cards when the user changes). */
export async function directoryGroupsOf(tx: StoreTx, userId: number): Promise<number[]> {
  return (await tx.groupsOf(userId)).filter((g) => g.owner === null).map((g) => g.id);
}
