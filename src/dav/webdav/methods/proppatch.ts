import { el, isElement, type XmlElement } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import { serializeXml } from '../../../xml/write.js';
import type { DeadProperty } from '../../../store/types.js';
import type { DavContext, DavResponse } from '../../core/context.js';
import { DavError } from '../../core/errors.js';
import { checkWrite } from '../../core/locking.js';
import { multistatus, propstat, responseWithPropstats } from '../../core/multistatus.js';
import { hrefOf } from '../../core/paths.js';
import { PRECONDITIONS } from '../../core/preconditions.js';
import { registry, type MethodDef } from '../../core/registry.js';
import { areaKeys, readXmlBody } from '../../core/request.js';
import { resolve, type DavResource } from '../../core/resource.js';
import { requirePrivilege } from '../../acl/privileges.js';
import { mustExist } from './shared.js';

export interface PropertyUpdate {
  readonly op: 'set' | 'remove';
  readonly prop: XmlElement;
}

/** Parse DAV:propertyupdate (RFC 4918 §14.19) into instructions in document order. */
export function parsePropertyUpdate(root: XmlElement | null): PropertyUpdate[] {
  if (!root || root.name !== dav('propertyupdate')) throw DavError.badRequest('PROPPATCH body must be a DAV:propertyupdate element');
  const out: PropertyUpdate[] = [];
  for (const instr of root.children.filter(isElement)) {
    const op = instr.name === dav('set') ? 'set' : instr.name === dav('remove') ? 'remove' : null;
    if (!op) continue;
    for (const prop of instr.children.filter(isElement).filter((c) => c.name === dav('prop'))) {
      for (const p of prop.children.filter(isElement)) out.push({ op, prop: p });
    }
  }
  if (out.length === 0) throw DavError.badRequest('PROPPATCH names no property');
  return out;
}

/**
 * Apply property updates atomically (RFC 4918 §9.2): every instruction succeeds or none is
 * applied. Returns the per-property propstats; used by PROPPATCH and extended MKCOL.
 */
export async function applyPropertyUpdates(
  ctx: DavContext, r: DavResource, updates: readonly PropertyUpdate[],
  write: (set: DeadProperty[], remove: string[]) => Promise<void>,
): Promise<{ ok: boolean; propstats: XmlElement[] }> {
  const failures = new Map<string, { status: number; error?: XmlElement }>();
  const set = new Map<string, DeadProperty>();
  const remove = new Set<string>();
  for (const u of updates) {
    const def = registry.properties.get(u.prop.name);
    const live = def !== undefined && def.appliesTo(r);
    try {
      if (live && !def.validate) {
        throw DavError.condition('cannot-modify-protected-property', `${u.prop.name} is protected`);
      }
      if (u.op === 'set') {
        if (live) await def.validate?.(ctx, r, u.prop);
        set.set(u.prop.name, { name: u.prop.name, xml: serializeXml(u.prop, false) });
        remove.delete(u.prop.name);
      } else {
        remove.add(u.prop.name);
        set.delete(u.prop.name);
      }
    } catch (err) {
      if (!(err instanceof DavError)) throw err;
      failures.set(u.prop.name, {
        status: err.status === 400 ? 409 : err.status,
        ...(err.condition ? { error: el(PRECONDITIONS[err.condition].element, {}, ...err.conditionContent) } : {}),
      });
    }
  }
  const names = [...new Set(updates.map((u) => u.prop.name))];
  if (failures.size === 0) {
    await write([...set.values()], [...remove]);
    return { ok: true, propstats: [propstat(200, names.map((n) => el(n)))] };
  }
  const propstats: XmlElement[] = [];
  for (const [name, f] of failures) propstats.push(propstat(f.status, [el(name)], f.error));
  const dependent = names.filter((n) => !failures.has(n));
  if (dependent.length > 0) propstats.push(propstat(424, dependent.map((n) => el(n))));
  return { ok: false, propstats };
}

/** RFC 4918 §9.2. */
async function proppatch(ctx: DavContext): Promise<DavResponse> {
  const updates = parsePropertyUpdate(await readXmlBody(ctx));
  const propstats = await ctx.store.transaction(areaKeys(ctx.path), async (tx) => {
    const r = mustExist(await resolve(tx, ctx.path));
    requirePrivilege(ctx.user, r, 'write-properties');
    await checkWrite(ctx, tx, [{ path: ctx.path, bind: false, subtree: false }]);
    const stored = r.stored;
    if (!stored) throw new DavError(403, 'properties of this resource cannot be changed');
    const result = await applyPropertyUpdates(ctx, r, updates, (set, remove) => tx.patchProperties(stored.id, set, remove));
    return result.propstats;
  });
  return multistatus([responseWithPropstats(hrefOf(ctx.path, ctx.trailingSlash), propstats)]);
}

export const proppatchMethod: MethodDef = { name: 'PROPPATCH', allowedOn: (r) => r !== null, handle: proppatch };
