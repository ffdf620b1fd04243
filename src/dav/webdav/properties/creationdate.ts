import { dav } from '../../../xml/names.js';
import { textProperty } from '../../core/registry.js';

/** RFC 4918 §15.1 (RFC 3339 date-time). */
export const creationdate = textProperty({
  name: dav('creationdate'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null,
  value: (r) => new Date(r.stored?.createdAt ?? 0).toISOString().replace(/\.\d{3}Z$/, 'Z'),
});
