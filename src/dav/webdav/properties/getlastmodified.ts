import { httpDate } from '../../../formats/http-date.js';
import { dav } from '../../../xml/names.js';
import { textProperty } from '../../core/registry.js';

/** RFC 4918 §15.7 (an HTTP-date). */
export const getlastmodified = textProperty({
  name: dav('getlastmodified'),
  allprop: true,
  cacheable: true,
  appliesTo: (r) => r.stored !== null,
  value: (r) => httpDate(r.stored?.modifiedAt ?? 0),
});
