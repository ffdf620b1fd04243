import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/**
 * RFC 4918 §15.2. Live on principals (the user's display name); on stored resources it is an
 * ordinary dead property, so this definition does not apply there.
 */
export const displayname: PropertyDef = {
  name: dav('displayname'),
  allprop: true,
  appliesTo: (r) => r.kind === 'principal',
  get: (_ctx, r) => {
    // A proxy group is named after its owner and role (caldav-proxy §5.2).
    if (r.proxy) return [`${r.proxy.owner.displayName ?? r.proxy.owner.name} (${r.proxy.role})`];
    return [r.principal?.displayName ?? r.principal?.name ?? r.group?.name ?? ''];
  },
};
