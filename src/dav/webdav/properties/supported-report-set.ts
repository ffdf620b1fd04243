import { el } from '../../../xml/element.js';
import { dav } from '../../../xml/names.js';
import type { PropertyDef } from '../../core/registry.js';

/** RFC 3253 §3.1.5, derived from the report registry. */
export const supportedReportSet: PropertyDef = {
  name: dav('supported-report-set'),
  allprop: false,
  appliesTo: () => true,
  get: (ctx, r) =>
    ctx.registry.reportsFor(r).map((d) => el(dav('supported-report'), {}, el(dav('report'), {}, el(d.name)))),
};
