import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

const entry = (scope: string) =>
  el(dav('lockentry'), {}, el(dav('lockscope'), {}, el(dav(scope))), el(dav('locktype'), {}, el(dav('write'))));

/** RFC 4918 §15.10: exclusive and shared write locks. */
export const supportedlock: PropertyDef = {
  name: dav('supportedlock'),
  allprop: true,
  appliesTo: (r) => r.stored !== null,
  get: () => [entry('exclusive'), entry('shared')],
};
