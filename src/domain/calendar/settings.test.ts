/**
 * RFC 4791 §5.2: the calendar settings every writer reads (CalDAV PUT, import, SyncML) come from
 * the stored properties, read with the same safe parser as every other XML (src/xml).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { el, elements, textOf } from '../../xml/element.js';
import { caldav } from '../../xml/names.js';
import { parseXml } from '../../xml/parse.js';
import { serializeXml } from '../../xml/write.js';
import { calendarSettings, limitsWithin, MAX_RESOURCE_SIZE, SUPPORTED_COMPONENTS } from './settings.js';
import type { StoreReader } from '../../store/store.js';
import type { Resource } from '../../store/types.js';

const TZ = 'BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin & <co>\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n';

function reader(props: { name: string; xml: string }[]): StoreReader {
  return { getProperties: async () => props } as unknown as StoreReader;
}
const coll = { id: 1 } as Resource;

describe('RFC 4791 §5.2 calendar settings (domain/calendar/settings.ts)', () => {
  it('§5.2.3: the component set stored by MKCALENDAR reads as src/xml reads it', async () => {
    const prop = el(
      caldav('supported-calendar-component-set'),
      {},
      el(caldav('comp'), { name: 'vtodo' }),
      el(caldav('comp'), { name: 'VJOURNAL' }),
    );
    const xml = serializeXml(prop, false);
    const viaDav = elements(parseXml(xml), caldav('comp')).map((c) => (c.attrs['{}name'] ?? '').toUpperCase());
    const s = await calendarSettings(reader([{ name: caldav('supported-calendar-component-set'), xml }]), coll);
    assert.deepEqual(s.components, viaDav);
    assert.deepEqual(s.components, ['VTODO', 'VJOURNAL']);
  });

  it('§5.2.3: no property → VEVENT and VTODO', async () => {
    assert.deepEqual((await calendarSettings(reader([]), coll)).components, [...SUPPORTED_COMPONENTS]);
  });

  it('§5.2.2: calendar-timezone text (escaped, CRLF) reads as src/xml reads it', async () => {
    const xml = serializeXml(el(caldav('calendar-timezone'), {}, TZ), false);
    const s = await calendarSettings(reader([{ name: caldav('calendar-timezone'), xml }]), coll);
    assert.equal(s.timezone, textOf(parseXml(xml)).trim());
    assert.match(s.timezone ?? '', /TZID:Europe\/Berlin & <co>/);
  });

  it('§5.2.5: max-resource-size is the smaller of 10 MiB and the upload limit', () => {
    assert.equal(limitsWithin({ components: ['VEVENT'], timezone: null }, 1000).maxResourceSize, 1000);
    assert.equal(limitsWithin({ components: ['VEVENT'], timezone: null }, 1e12).maxResourceSize, MAX_RESOURCE_SIZE);
  });
});
