/**
 * Scheduling by a sharee (caldav-sharing §5.5.5): a sharee with write access schedules in a
 * shared calendar as its owner — implicit scheduling already takes the calendar's owner as the
 * organizer (domain/scheduling/implicit.ts) — so the ORGANIZER they write must be the sharer.
 */
import { components, normalizeAddress, parseItip } from '../../formats/ical/itip/index.js';
import type { ObjectsReader, UsersReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';
import { ObjectRefused } from '../objects/object-refused.js';
import { userAddresses } from '../scheduling/addresses.js';

const decoder = new TextDecoder();

function organizers(text: string): Set<string> {
  const out = new Set<string>();
  for (const c of components(parseItip(text)).values()) {
    const v = c.getFirstPropertyValue('organizer');
    if (typeof v === 'string' && v.trim()) out.add(normalizeAddress(v));
  }
  return out;
}

/** The organizers of a stored object; none when it is no iCalendar (a plain WebDAV client's, from before). */
function storedOrganizers(text: string): Set<string> {
  try {
    return organizers(text);
  } catch {
    return new Set();
  }
}

/**
 * §5.5.5 item 1: refused (CALDAV:valid-organizer) when a component of `body`, written by a sharee
 * into `parent` over `before`, names an ORGANIZER that is no address of the sharer — unless the
 * stored object already named it (the sharer is an attendee of someone else's meeting, and the
 * sharee edits the sharer's copy).
 */
export async function refuseForeignOrganizer(
  reader: UsersReader & ObjectsReader,
  parent: Resource,
  before: Resource | null,
  body: Uint8Array,
): Promise<void> {
  const written = organizers(decoder.decode(body));
  if (written.size === 0) return;
  const owner = await reader.getUserById(parent.ownerId);
  const allowed = owner ? userAddresses(owner) : new Set<string>();
  const foreign = [...written].filter((o) => !allowed.has(o));
  if (foreign.length === 0) return;
  const kept = before ? storedOrganizers(decoder.decode(await reader.readBody(before.id))) : new Set<string>();
  const organizer = foreign.find((o) => !kept.has(o));
  if (organizer === undefined) return;
  throw new ObjectRefused(
    { code: 'organizer-not-sharer', organizer },
    `a sharee schedules as the calendar's owner: ORGANIZER ${organizer} is not an address of ${owner?.name ?? 'the owner'}`,
  );
}
