import { applyContactForm, readContactForm } from '../../../src/formats/vcard/contact-form.js';
import {
  bookGroupStyle,
  listGroups,
  membersOf,
  newGroupCard,
  renamedGroupCard,
  withMembers,
  type ContactGroup,
  type GroupStyle,
} from '../../../src/formats/vcard/contact-groups.js';
import type { VCard } from '../../../src/formats/vcard/model.js';
import { parseVcard } from '../../../src/formats/vcard/parse.js';
import { rewriteVcard } from '../../../src/formats/vcard/rewrite.js';
import { writeVcard } from '../../../src/formats/vcard/write.js';
import { AppState, type Collection } from '../state.js';
import type { ContactEntry, ContactIndex } from './contact-index.js';

const VCARD = 'text/vcard; charset=utf-8';

/** Rewrite one stored card with `change`; nothing is sent when it returns the card unchanged. */
async function rewrite(state: AppState, e: ContactEntry, change: (card: VCard) => VCard): Promise<void> {
  const o = e.col.objects.get(e.href);
  if (!o) return;
  const card = parseVcard(o.data);
  const next = change(card);
  if (next !== card) await state.save(e.col, e.href, rewriteVcard(o.data, card, next), o.etag || null, VCARD);
}

export function styleOf(index: ContactIndex, col: Collection): GroupStyle {
  return bookGroupStyle(index.groupSources(col.key));
}

/**
 * Put contact `uid` into exactly the groups `wanted` of its address book, in the book's style:
 * a group with group cards gets the UID in (or out of) their member lists; a new name becomes a
 * group card when the book uses them. Returns the names left to CATEGORIES on the card itself.
 */
export async function setMemberships(
  state: AppState,
  index: ContactIndex,
  col: Collection,
  uid: string,
  wanted: readonly string[],
  categories: readonly string[],
): Promise<string[]> {
  const style = styleOf(index, col);
  const groups = listGroups(index.groupSources(col.key));
  const byCard = new Map(groups.filter((g) => g.cards.length > 0).map((g) => [g.name, g]));
  for (const g of byCard.values()) {
    const want = wanted.includes(g.name);
    for (const card of g.cards) {
      await rewrite(state, card, (c) => {
        const members = membersOf(c).filter((m) => m !== uid);
        return withMembers(c, want ? [...members, uid] : members);
      });
    }
  }
  const rest: string[] = [];
  for (const name of wanted) {
    if (byCard.has(name)) continue;
    if (style === 'categories' || categories.includes(name)) rest.push(name);
    else await createGroupCard(state, col, name, style, [uid]);
  }
  return rest;
}

async function createGroupCard(
  state: AppState,
  col: Collection,
  name: string,
  style: 'kind' | 'apple',
  members: string[],
): Promise<void> {
  const uid = crypto.randomUUID();
  const card = withMembers(newGroupCard(name, uid, style), members);
  await state.save(col, AppState.memberHref(col, uid, '.vcf'), writeVcard(card), null, VCARD);
}

/** A new group: a group card in books that use them; in CATEGORIES books it exists once a contact is in it (false). */
export async function createGroup(
  state: AppState,
  index: ContactIndex,
  col: Collection,
  name: string,
): Promise<boolean> {
  const style = styleOf(index, col);
  if (style === 'categories') return false;
  await createGroupCard(state, col, name, style, []);
  return true;
}

/** Rename a group everywhere it is written: its group cards' FN, and the CATEGORIES of its members. */
export async function renameGroup(
  state: AppState,
  index: ContactIndex,
  group: ContactGroup<ContactEntry>,
  name: string,
): Promise<void> {
  for (const card of group.cards)
    if (!card.col.dav.readOnly) await rewrite(state, card, (c) => renamedGroupCard(c, name));
  const members = index
    .all()
    .filter((e) => !e.col.dav.readOnly && e.s.groupStyle === null && e.s.categories.includes(group.name));
  for (const e of members) {
    await rewrite(state, e, (c) => {
      const f = readContactForm(c);
      return applyContactForm(c, { ...f, groups: [...new Set(f.groups.map((g) => (g === group.name ? name : g)))] });
    });
  }
}
