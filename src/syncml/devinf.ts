/** The server's DevInf (DevInf 1.2 §5; digest §11): contacts, calendar and tasks datastores. */
import { buildDevInf } from '../formats/syncml/devinf.js';
import type { SyncmlVersion } from '../formats/syncml/model.js';
import type { Element } from '../formats/wbxml/tree.js';
import { ICAL20, VCAL10, VCARD21, VCARD30 } from './item-format.js';

export function serverDevInf(
  version: SyncmlVersion,
  serverUri: string,
  alerted: readonly { uri: string; kind: 'vcard' | 'ical' }[] = [],
): Element {
  const vcard = {
    rxPref: { type: VCARD30, version: '3.0' },
    rx: [{ type: VCARD21, version: '2.1' }],
    txPref: { type: VCARD30, version: '3.0' },
    tx: [{ type: VCARD21, version: '2.1' }],
  };
  const ical = {
    rxPref: { type: ICAL20, version: '2.0' },
    rx: [{ type: VCAL10, version: '1.0' }],
    txPref: { type: ICAL20, version: '2.0' },
    tx: [{ type: VCAL10, version: '1.0' }],
  };
  return buildDevInf(
    {
      man: 'Almanac',
      mod: 'Almanac SyncML server',
      swV: '0.1',
      devId: serverUri,
      dataStores: [
        ...alerted.map((a) => ({ sourceRef: a.uri, displayName: a.uri, ...(a.kind === 'vcard' ? vcard : ical) })),
        ...[
          ['contacts', 'Contacts', vcard],
          ['calendar', 'Calendar', ical],
          ['tasks', 'Tasks', ical],
        ]
          .filter(([uri]) => !alerted.some((a) => a.uri === uri))
          .map(([uri, name, types]) => ({
            sourceRef: uri as string,
            displayName: name as string,
            ...(types as typeof vcard),
          })),
      ],
    },
    version,
  );
}
