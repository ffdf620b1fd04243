/**
 * Methods on a sharee's instance itself that act on the instance, not on the shared collection
 * (caldav-sharing §5.4.2, §5.5.3): everything else on an instance, and every method below it,
 * runs on the shared collection with the sharee's privileges (dav/handler.ts).
 */
import { patchInstanceProperties, removeInstance } from '../../../domain/sharing/replies.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { multistatus, responseWithPropstats } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import { applyPropertyUpdates, parsePropertyUpdate } from '../../core/property-update.js';
import { readXmlBody } from '../../core/request.js';
import type { DavResource } from '../../core/resource.js';
import { sharingLinks } from '../links.js';

type InstanceMethod = (ctx: DavContext, r: DavResource) => Promise<DavResponse>;

/** §5.4.2: DELETE removes the instance from the sharee's home (the invitation becomes declined); no data is deleted. */
async function deleteInstance(ctx: DavContext, r: DavResource): Promise<DavResponse> {
  const c = { sharee: ctx.user, links: sharingLinks(), now: ctx.now, maxUploadBytes: ctx.settings.maxUploadBytes };
  await removeInstance(ctx.store, c, r.instance!.instancePath);
  return { status: 204 };
}

/**
 * §5.5.3: every user may write their per-user properties on their instance, even with read
 * access only; they are kept with the share and the owner's collection is not touched.
 */
async function proppatchInstance(ctx: DavContext, r: DavResource): Promise<DavResponse> {
  const updates = parsePropertyUpdate(await readXmlBody(ctx));
  const { instancePath } = r.instance!;
  const result = await applyPropertyUpdates(ctx, r, updates, (set, remove) =>
    patchInstanceProperties(ctx.store, ctx.user, instancePath, set, remove),
  );
  return multistatus([responseWithPropstats(hrefOf(instancePath, ctx.trailingSlash), result.propstats)]);
}

async function refuse(): Promise<DavResponse> {
  return Promise.reject(new DavError(403, 'a shared collection cannot be moved or copied by a sharee'));
}

const METHODS: ReadonlyMap<string, InstanceMethod> = new Map([
  ['DELETE', deleteInstance],
  ['PROPPATCH', proppatchInstance],
  ['MOVE', refuse],
  ['COPY', refuse],
]);

/** What `method` does on an instance itself, when that differs from its effect on the shared collection. */
export function instanceMethod(method: string): InstanceMethod | undefined {
  return METHODS.get(method);
}
