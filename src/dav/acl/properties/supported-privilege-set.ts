import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { privilegeTreeFor, supportedPrivilegeXml } from '../privileges.js';

/** RFC 3744 §5.3; on a scheduling inbox or outbox with the RFC 6638 §6 privileges. */
export const supportedPrivilegeSet: PropertyDef = {
  name: dav('supported-privilege-set'),
  allprop: false,
  appliesTo: () => true,
  get: (_ctx, r) => [supportedPrivilegeXml(privilegeTreeFor(r))],
};
