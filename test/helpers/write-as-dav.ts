/**
 * An object write through the domain's one write path (domain/objects/write-object.ts) as a
 * CalDAV/CardDAV PUT makes it: origin DAV, no feed to spare, a 1 MiB upload limit. For store
 * tests that count or observe what one write does.
 */
import { writeObject } from '../../src/domain/objects/write-object.js';
import type { Principal } from '../../src/domain/objects/privileges.js';
import type { Store } from '../../src/store/store.js';

export function writeAsDav(
  store: Store,
  principal: Principal,
  path: string,
  body: Uint8Array,
  contentType = 'text/calendar',
): ReturnType<typeof writeObject> {
  return writeObject(store, {
    principal,
    path,
    body,
    contentType,
    origin: { via: 'dav', feed: null },
    limits: { maxUploadBytes: 1 << 20 },
  });
}
