import { caldav, carddav, dav, type ClarkName } from '../../xml/names.js';

/**
 * The precondition table: every condition the server can report, with its status and the
 * section that defines it. Code throws `DavError.condition('name')`; the HTTP layer renders
 * `<D:error><element/></D:error>`.
 */
export interface Precondition {
  readonly element: ClarkName;
  readonly status: number;
  readonly section: string;
}

export const PRECONDITIONS = {
  'lock-token-matches-request-uri': { element: dav('lock-token-matches-request-uri'), status: 409, section: 'RFC 4918 §16' },
  'lock-token-submitted': { element: dav('lock-token-submitted'), status: 423, section: 'RFC 4918 §16' },
  'no-conflicting-lock': { element: dav('no-conflicting-lock'), status: 423, section: 'RFC 4918 §16' },
  'no-external-entities': { element: dav('no-external-entities'), status: 400, section: 'RFC 4918 §16' },
  'preserved-live-properties': { element: dav('preserved-live-properties'), status: 409, section: 'RFC 4918 §16' },
  'propfind-finite-depth': { element: dav('propfind-finite-depth'), status: 403, section: 'RFC 4918 §16' },
  'cannot-modify-protected-property': { element: dav('cannot-modify-protected-property'), status: 403, section: 'RFC 4918 §16' },
  'need-privileges': { element: dav('need-privileges'), status: 403, section: 'RFC 3744 §7.1.1' },
  'valid-sync-token': { element: dav('valid-sync-token'), status: 403, section: 'RFC 6578 §3.2' },
  'number-of-matches-within-limits': { element: dav('number-of-matches-within-limits'), status: 507, section: 'RFC 6578 §3.2' },
  'supported-report': { element: dav('supported-report'), status: 403, section: 'RFC 3253 §3.6' },
  'resource-must-be-null': { element: dav('resource-must-be-null'), status: 405, section: 'RFC 5689 §3' },
  'valid-resourcetype': { element: dav('valid-resourcetype'), status: 403, section: 'RFC 5689 §3' },
  'caldav:valid-calendar-data': { element: caldav('valid-calendar-data'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:valid-calendar-object-resource': { element: caldav('valid-calendar-object-resource'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:supported-calendar-component': { element: caldav('supported-calendar-component'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:supported-calendar-data': { element: caldav('supported-calendar-data'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:no-uid-conflict': { element: caldav('no-uid-conflict'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:calendar-collection-location-ok': { element: caldav('calendar-collection-location-ok'), status: 403, section: 'RFC 4791 §5.3.1.1' },
  'caldav:max-resource-size': { element: caldav('max-resource-size'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:min-date-time': { element: caldav('min-date-time'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:max-date-time': { element: caldav('max-date-time'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:max-instances': { element: caldav('max-instances'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:valid-filter': { element: caldav('valid-filter'), status: 403, section: 'RFC 4791 §7.7' },
  'caldav:supported-filter': { element: caldav('supported-filter'), status: 403, section: 'RFC 4791 §7.7' },
  'caldav:supported-collation': { element: caldav('supported-collation'), status: 403, section: 'RFC 4791 §7.5.1' },
  'carddav:valid-address-data': { element: carddav('valid-address-data'), status: 403, section: 'RFC 6352 §6.3.2.1' },
  'carddav:supported-address-data': { element: carddav('supported-address-data'), status: 403, section: 'RFC 6352 §6.3.2.1' },
  'carddav:no-uid-conflict': { element: carddav('no-uid-conflict'), status: 403, section: 'RFC 6352 §6.3.2.1' },
  'carddav:max-resource-size': { element: carddav('max-resource-size'), status: 403, section: 'RFC 6352 §6.3.2.1' },
  'carddav:addressbook-collection-location-ok': { element: carddav('addressbook-collection-location-ok'), status: 403, section: 'RFC 6352 §6.3.1' },
  'carddav:supported-filter': { element: carddav('supported-filter'), status: 403, section: 'RFC 6352 §8.6' },
  'carddav:supported-collation': { element: carddav('supported-collation'), status: 403, section: 'RFC 6352 §8.3' },
} as const satisfies Record<string, Precondition>;

export type PreconditionName = keyof typeof PRECONDITIONS;
