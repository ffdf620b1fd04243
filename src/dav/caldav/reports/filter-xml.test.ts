/** CALDAV:filter (RFC 4791 §9.7); its golden fixtures are fixtures/filter, read by dav/golden-requests.test.ts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../xml/parse.js';
import { DavError } from '../../core/errors.js';
import { parseFilter } from './filter-xml.js';

describe('parseFilter', () => {
  it('refuses a time-range on SUMMARY and a comp-filter that is not VCALENDAR (valid-filter)', () => {
    const bad = (xml: string) => () =>
      parseFilter(parseXml(`<C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">${xml}</C:filter>`));
    const isValidFilter = (e: unknown) => e instanceof DavError && e.condition === 'caldav:valid-filter';
    assert.throws(
      bad(
        '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:time-range start="20060104T000000Z"/></C:prop-filter></C:comp-filter></C:comp-filter>',
      ),
      isValidFilter,
    );
    assert.throws(bad('<C:comp-filter name="VEVENT"/>'), isValidFilter);
  });
});
