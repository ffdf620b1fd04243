import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';
import { supportedPrivilegeXml } from '../privileges.js';

/** RFC 3744 §5.3. */
export const supportedPrivilegeSet: PropertyDef = {
  name: dav('supported-privilege-set'),
  allprop: false,
  appliesTo: () => true,
  get: () => [supportedPrivilegeXml()],
};
