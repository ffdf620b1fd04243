import { el, isElement, type XmlElement } from '../../xml/element.js';
import { dav } from '../../xml/names.js';
import { serializeXml } from '../../xml/write.js';
import type { DeadProperty } from '../../store/types.js';
import type { DavContext } from './context.js';
import { DavError } from './errors.js';
import { propstat } from './multistatus.js';
import { PRECONDITIONS } from './preconditions.js';
import type { PropertyDef } from './registry.js';
import type { DavResource } from './resource.js';

export interface PropertyUpdate {
  readonly op: 'set' | 'remove';
  readonly prop: XmlElement;
}

/** Parse DAV:propertyupdate (RFC 4918 §14.19) into instructions in document order. */
export function parsePropertyUpdate(root: XmlElement | null): PropertyUpdate[] {
  if (!root || root.name !== dav('propertyupdate'))
    throw DavError.badRequest('PROPPATCH body must be a DAV:propertyupdate element');
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

/** A new value of a live property its module keeps (`PropertyDef.update`); null = removed. */
export interface LiveUpdate {
  readonly def: PropertyDef;
  readonly value: XmlElement | null;
}

/**
 * Apply property updates atomically (RFC 4918 §9.2): every instruction succeeds or none is
 * applied. Returns the per-property propstats; used by PROPPATCH and extended MKCOL.
 */
export async function applyPropertyUpdates(
  ctx: DavContext,
  r: DavResource,
  updates: readonly PropertyUpdate[],
  write: (set: DeadProperty[], remove: string[], live: LiveUpdate[]) => Promise<void>,
  creating = false,
): Promise<{ ok: boolean; propstats: XmlElement[] }> {
  const failures = new Map<string, { status: number; error?: XmlElement }>();
  const set = new Map<string, DeadProperty>();
  const remove = new Set<string>();
  const kept = new Map<string, LiveUpdate>();
  for (const u of updates) {
    const def = ctx.registry.properties.get(u.prop.name);
    const live = def !== undefined && def.appliesTo(r);
    try {
      if (live && ((!def.validate && !def.update) || (def.initOnly && !creating))) {
        throw DavError.condition('cannot-modify-protected-property', `${u.prop.name} is protected`);
      }
      if (live && def.update) {
        if (u.op === 'set') await def.validate?.(ctx, r, u.prop);
        kept.set(u.prop.name, { def, value: u.op === 'set' ? u.prop : null });
      } else if (u.op === 'set') {
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
    await write([...set.values()], [...remove], [...kept.values()]);
    return {
      ok: true,
      propstats: [
        propstat(
          200,
          names.map((n) => el(n)),
        ),
      ],
    };
  }
  const propstats: XmlElement[] = [];
  for (const [name, f] of failures) propstats.push(propstat(f.status, [el(name)], f.error));
  const dependent = names.filter((n) => !failures.has(n));
  if (dependent.length > 0)
    propstats.push(
      propstat(
        424,
        dependent.map((n) => el(n)),
      ),
    );
  return { ok: false, propstats };
}
