import { all, first, prop, type VCard, type VProperty } from './model.js';
import type { ContactSummary } from './contact-summary.js';
import { escapeText, unescapeText } from './text.js';

/**
 * Contact groups in the two ways CardDAV clients write them:
 * - `categories`: a CATEGORIES value on each member card (Nextcloud, Thunderbird, khard);
 * - a group card listing its members by UID URI: vCard 4 `KIND:group` + `MEMBER` (RFC 6350
 *   §6.1.4, §6.6.5) — style `kind` — or Apple's vCard 3 spelling
 *   `X-ADDRESSBOOKSERVER-KIND:group` + `X-ADDRESSBOOKSERVER-MEMBER` — style `apple`
 *   (macOS/iOS Contacts, DAVx5 in its "groups are separate vCards" mode).
 */
export type GroupStyle = 'categories' | 'kind' | 'apple';

/** What the groups list needs of one card: a part of its summary, and the caller's handle on it. */
export type GroupSource<R> = Pick<ContactSummary, 'uid' | 'name' | 'categories' | 'groupStyle' | 'members'> & {
  readonly ref: R;
};

export interface ContactGroup<R> {
  readonly name: string;
  /** UIDs (as memberUid gives them: no `urn:uuid:`) of the member contacts that exist. */
  readonly members: ReadonlySet<string>;
  /** The group cards of this name (none for a CATEGORIES group). */
  readonly cards: readonly R[];
}

/** `urn:uuid:` + the UID, unless the UID is already a URI (RFC 6350 §6.6.5, §6.7.6). */
function memberUri(uid: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(uid) ? uid : `urn:uuid:${uid}`;
}

/** The UID a MEMBER URI names (Apple and Nextcloud write `urn:uuid:` + the member's UID). */
export function memberUid(uri: string): string {
  return uri.trim().replace(/^urn:uuid:/i, '');
}

/** The style an address book already uses: group cards if it has any, else CATEGORIES. */
export function bookGroupStyle<R>(cards: Iterable<GroupSource<R>>): GroupStyle {
  let style: GroupStyle = 'categories';
  for (const c of cards) {
    if (c.groupStyle === 'kind') return 'kind';
    if (c.groupStyle === 'apple') style = 'apple';
  }
  return style;
}

/** Every group named by CATEGORIES or a group card, by name (case kept, sorted), with its existing members. */
export function listGroups<R>(cards: Iterable<GroupSource<R>>): ContactGroup<R>[] {
  const contacts = new Set<string>();
  const byName = new Map<string, { members: Set<string>; cards: R[] }>();
  const group = (name: string): { members: Set<string>; cards: R[] } => {
    let g = byName.get(name);
    if (!g) byName.set(name, (g = { members: new Set(), cards: [] }));
    return g;
  };
  const listed: { g: { members: Set<string> }; uids: string[] }[] = [];
  for (const c of cards) {
    if (c.groupStyle) {
      const g = group(c.name);
      g.cards.push(c.ref);
      listed.push({ g, uids: c.members.map(memberUid) });
      continue;
    }
    const uid = memberUid(c.uid);
    contacts.add(uid);
    for (const name of c.categories) group(name).members.add(uid);
  }
  for (const { g, uids } of listed) for (const u of uids) if (contacts.has(u)) g.members.add(u);
  return [...byName]
    .map(([name, g]) => ({ name, members: g.members, cards: g.cards }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A new, empty group card in `style` ('kind': vCard 4, 'apple': vCard 3). */
export function newGroupCard(name: string, uid: string, style: 'kind' | 'apple'): VCard {
  const fn = escapeText(name);
  return style === 'kind'
    ? {
        properties: [
          prop('VERSION', '4.0'),
          prop('PRODID', '-//Almanac//Web//EN'),
          prop('UID', memberUri(uid)),
          prop('KIND', 'group'),
          prop('FN', fn),
        ],
      }
    : {
        properties: [
          prop('VERSION', '3.0'),
          prop('PRODID', '-//Almanac//Web//EN'),
          prop('UID', escapeText(uid)),
          prop('N', fn),
          prop('FN', fn),
          prop('X-ADDRESSBOOKSERVER-KIND', 'group'),
        ],
      };
}

function isApple(card: VCard): boolean {
  return card.properties.some((p) => p.name === 'X-ADDRESSBOOKSERVER-KIND');
}

/**
 * The group card with exactly these members (UIDs): member lines already there are kept as
 * written, missing ones are appended, the others removed. Unchanged → the same card.
 */
export function withMembers(card: VCard, uids: Iterable<string>): VCard {
  const want = new Set([...uids]);
  const name = isApple(card) ? 'X-ADDRESSBOOKSERVER-MEMBER' : 'MEMBER';
  const have = new Set<string>();
  let changed = false;
  const kept: VProperty[] = [];
  for (const p of card.properties) {
    if (p.name === 'MEMBER' || p.name === 'X-ADDRESSBOOKSERVER-MEMBER') {
      const u = memberUid(p.value);
      if (!want.has(u) || have.has(u)) {
        changed = true;
        continue;
      }
      have.add(u);
    }
    kept.push(p);
  }
  for (const u of want) {
    if (have.has(u)) continue;
    kept.push(prop(name, memberUri(u)));
    changed = true;
  }
  return changed ? { properties: kept } : card;
}

/** The group card under a new name: FN, and N where Apple's cards carry it. */
export function renamedGroupCard(card: VCard, name: string): VCard {
  const fn = first(card, 'FN');
  if (fn && unescapeText(fn.value) === name) return card;
  const value = escapeText(name);
  const props = card.properties.map((p) =>
    p.name === 'FN' || (p.name === 'N' && isApple(card)) ? { ...p, value } : p,
  );
  return { properties: props.some((p) => p.name === 'FN') ? props : [...props, prop('FN', value)] };
}

/** The member UIDs a group card lists. */
export function membersOf(card: VCard): string[] {
  return [...all(card, 'MEMBER'), ...all(card, 'X-ADDRESSBOOKSERVER-MEMBER')].map((p) => memberUid(p.value));
}
