/** Golden fixtures: CALDAV:filter request XML beside its expected parse (RFC 4791 §9.7). */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { firstChild } from '../../../xml/element.js';
import { caldav } from '../../../xml/names.js';
import { parseXml } from '../../../xml/parse.js';
import { DavError } from '../../core/errors.js';
import { parseFilter } from './filter-xml.js';

const DIR = join(process.cwd(), 'src/dav/caldav/reports/fixtures');

describe('parseFilter golden fixtures', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.xml'))) {
    it(file, () => {
      const root = parseXml(readFileSync(join(DIR, file)));
      const expected = JSON.parse(readFileSync(join(DIR, file.replace(/\.xml$/, '.json')), 'utf8')) as unknown;
      assert.deepEqual(JSON.parse(JSON.stringify(parseFilter(firstChild(root, caldav('filter'))))), expected);
    });
  }

  it('refuses a time-range on SUMMARY and a comp-filter that is not VCALENDAR (valid-filter)', () => {
    const bad = (xml: string) => () => parseFilter(parseXml(`<C:filter xmlns:C="urn:ietf:params:xml:ns:caldav">${xml}</C:filter>`));
    const isValidFilter = (e: unknown) => e instanceof DavError && e.condition === 'caldav:valid-filter';
    assert.throws(bad('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:time-range start="20060104T000000Z"/></C:prop-filter></C:comp-filter></C:comp-filter>'), isValidFilter);
    assert.throws(bad('<C:comp-filter name="VEVENT"/>'), isValidFilter);
  });
});
