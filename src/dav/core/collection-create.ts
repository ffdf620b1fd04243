import { el, type XmlElement } from '../../xml/element.js';
import { dav, type ClarkName } from '../../xml/names.js';
import type { CollectionType } from '../../store/types.js';
import { applyPropertyUpdates, type PropertyUpdate } from './property-update.js';
import { requirePrivilege } from '../acl/privileges.js';
import { parentCollection } from './members.js';
import type { DavContext, DavResponse } from './context.js';
import { DavError } from './errors.js';
import { checkWrite } from './locking.js';
import { asDav } from './object-refusal.js';
import { withinQuota } from '../../domain/quota/quota.js';
import { xmlResponse } from './multistatus.js';
import { areaKeys } from './request.js';
import { resolve, storedResource } from './resource.js';

/** Checks a collection type may be created under the given parent (e.g. no calendar in a calendar). */
export type LocationCheck = (parentType: CollectionType) => void;

/**
 * Create a collection of `type` with initial properties, atomically (RFC 5689 §3, RFC 4791
 * §5.3.1): if any property is refused, nothing is created and the answer lists every
 * property's status inside `responseElement`.
 */
export async function createCollectionWithProps(
  ctx: DavContext,
  type: CollectionType,
  updates: readonly PropertyUpdate[],
  responseElement: ClarkName,
  checkLocation?: LocationCheck,
): Promise<DavResponse> {
  let failure: XmlElement[] | null = null;
  await ctx.store
    .transaction(areaKeys(ctx.path), async (tx) => {
      if (await resolve(tx, ctx.path)) {
        throw DavError.condition('resource-must-be-null', 'a resource exists at this URL already');
      }
      const parent = await parentCollection(tx, ctx.path);
      requirePrivilege(ctx.user, parent, 'bind');
      const parentType = parent.stored?.collectionType ?? '';
      if (ctx.registry.objectTypeOf(parentType)) {
        // RFC 4791 §5.3.1 / RFC 6352 §5.2: calendars and address books hold objects, not collections.
        const condition =
          type === 'calendar'
            ? 'caldav:calendar-collection-location-ok'
            : type === 'addressbook'
              ? 'carddav:addressbook-collection-location-ok'
              : null;
        const message = 'collections cannot be created inside a calendar or address book';
        throw condition ? DavError.condition(condition, message) : new DavError(403, message);
      }
      checkLocation?.(parentType);
      await checkWrite(ctx, tx, [{ path: ctx.path, bind: true, subtree: false }]);
      const created = await tx.createCollection(ctx.path, {
        ownerId: parent.ownerId ?? ctx.user.id,
        collectionType: type,
      });
      const props = updates.filter((u) => u.prop.name !== dav('resourcetype'));
      const result = await applyPropertyUpdates(
        ctx,
        storedResource(created),
        props,
        // RFC 4331 §6 names MKCOL: its properties count against the owner's quota.
        (set, remove) =>
          asDav(() => withinQuota(tx, created.ownerId, () => tx.patchProperties(created.id, set, remove))),
        true,
      );
      if (!result.ok) {
        failure = result.propstats;
        throw new RollBack();
      }
    })
    .catch((err: unknown) => {
      if (!(err instanceof RollBack)) throw err;
    });
  if (failure) return xmlResponse(403, el(responseElement, {}, ...(failure as XmlElement[])));
  return { status: 201, headers: { 'Cache-Control': 'no-cache' } };
}

class RollBack extends Error {}
