import { caldav, carddav, dav, webdavPush, type ClarkName } from '../../xml/names.js';

/**
 * The precondition table: every condition the server can report, with its status and the
 * section that defines it. Code throws `DavError.condition('name')`; the HTTP layer renders
 * `<D:error><element/></D:error>`. The status comes from here only: where one element is
 * answered with two statuses for two different failures, each has its own row (named after
 * what failed) and its own source; preconditions.test.ts checks every row against its RFC text.
 */
export interface Precondition {
  readonly element: ClarkName;
  readonly status: number;
  /** The section that defines the condition (`RFC n §x.y`, or `draft-name §Heading` for a draft). */
  readonly section: string;
  /**
   * The section that gives the status, when `section` names none for this use; without either,
   * the status is 403 or 409 by the general rule (RFC 4918 §16, RFC 3253 §1.6).
   */
  readonly statusSection?: string;
}

export const PRECONDITIONS = {
  'lock-token-matches-request-uri': {
    element: dav('lock-token-matches-request-uri'),
    status: 409,
    section: 'RFC 4918 §16',
  },
  'lock-token-submitted': { element: dav('lock-token-submitted'), status: 423, section: 'RFC 4918 §16' },
  'no-conflicting-lock': { element: dav('no-conflicting-lock'), status: 423, section: 'RFC 4918 §16' },
  'no-external-entities': { element: dav('no-external-entities'), status: 403, section: 'RFC 4918 §16' },
  // Every DOCTYPE is refused, internal entities too (RFC 4918 §20.6: an entity bomb needs no external
  // entity): the body is outside the XML this server accepts, a malformed request, not a forbidden one.
  'doctype-refused': {
    element: dav('no-external-entities'),
    status: 400,
    section: 'RFC 4918 §20.6',
    statusSection: 'RFC 2616 §10.4.1',
  },
  'preserved-live-properties': { element: dav('preserved-live-properties'), status: 409, section: 'RFC 4918 §16' },
  'propfind-finite-depth': { element: dav('propfind-finite-depth'), status: 403, section: 'RFC 4918 §16' },
  'cannot-modify-protected-property': {
    element: dav('cannot-modify-protected-property'),
    status: 403,
    section: 'RFC 4918 §16',
  },
  'need-privileges': { element: dav('need-privileges'), status: 403, section: 'RFC 3744 §7.1.1' },
  // The ACL method (RFC 3744 §8.1.1): always 403 here, a request that will fail however often it is sent.
  'no-ace-conflict': { element: dav('no-ace-conflict'), status: 403, section: 'RFC 3744 §8.1.1' },
  'no-protected-ace-conflict': { element: dav('no-protected-ace-conflict'), status: 403, section: 'RFC 3744 §8.1.1' },
  'no-inherited-ace-conflict': { element: dav('no-inherited-ace-conflict'), status: 403, section: 'RFC 3744 §8.1.1' },
  'limited-number-of-aces': { element: dav('limited-number-of-aces'), status: 403, section: 'RFC 3744 §8.1.1' },
  'deny-before-grant': { element: dav('deny-before-grant'), status: 403, section: 'RFC 3744 §8.1.1' },
  'grant-only': { element: dav('grant-only'), status: 403, section: 'RFC 3744 §8.1.1' },
  'no-invert': { element: dav('no-invert'), status: 403, section: 'RFC 3744 §8.1.1' },
  'no-abstract': { element: dav('no-abstract'), status: 403, section: 'RFC 3744 §8.1.1' },
  'not-supported-privilege': { element: dav('not-supported-privilege'), status: 403, section: 'RFC 3744 §8.1.1' },
  'missing-required-principal': { element: dav('missing-required-principal'), status: 403, section: 'RFC 3744 §8.1.1' },
  'recognized-principal': { element: dav('recognized-principal'), status: 403, section: 'RFC 3744 §8.1.1' },
  'allowed-principal': { element: dav('allowed-principal'), status: 403, section: 'RFC 3744 §8.1.1' },
  'valid-sync-token': { element: dav('valid-sync-token'), status: 403, section: 'RFC 6578 §3.2' },
  'number-of-matches-within-limits': {
    element: dav('number-of-matches-within-limits'),
    status: 507,
    section: 'RFC 6578 §3.6',
  },
  'quota-not-exceeded': { element: dav('quota-not-exceeded'), status: 507, section: 'RFC 4331 §6' },
  // A multiget naming more hrefs than the server answers: the request as a whole fails every time (403).
  'too-many-hrefs': { element: dav('number-of-matches-within-limits'), status: 403, section: 'RFC 3744 §9.4' },
  'supported-report': { element: dav('supported-report'), status: 403, section: 'RFC 3253 §3.6' },
  'resource-must-be-null': {
    element: dav('resource-must-be-null'),
    status: 405,
    section: 'RFC 4791 §5.3.1',
    statusSection: 'RFC 4918 §9.3.1',
  },
  'valid-resourcetype': { element: dav('valid-resourcetype'), status: 403, section: 'RFC 5689 §3.3' },
  'caldav:valid-calendar-data': { element: caldav('valid-calendar-data'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:valid-calendar-object-resource': {
    element: caldav('valid-calendar-object-resource'),
    status: 403,
    section: 'RFC 4791 §5.3.2.1',
  },
  'caldav:supported-calendar-component': {
    element: caldav('supported-calendar-component'),
    status: 403,
    section: 'RFC 4791 §5.3.2.1',
  },
  'caldav:supported-calendar-data': {
    element: caldav('supported-calendar-data'),
    status: 403,
    section: 'RFC 4791 §5.3.2.1',
  },
  'caldav:valid-scheduling-message': {
    element: caldav('valid-scheduling-message'),
    status: 400,
    section: 'RFC 6638 §5.2.1',
  },
  'caldav:valid-organizer': { element: caldav('valid-organizer'), status: 403, section: 'RFC 6638 §5.2.2' },
  'caldav:no-uid-conflict': { element: caldav('no-uid-conflict'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:calendar-collection-location-ok': {
    element: caldav('calendar-collection-location-ok'),
    status: 403,
    section: 'RFC 4791 §5.3.1',
  },
  'caldav:max-resource-size': { element: caldav('max-resource-size'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:min-date-time': { element: caldav('min-date-time'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:max-date-time': { element: caldav('max-date-time'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:max-instances': { element: caldav('max-instances'), status: 403, section: 'RFC 4791 §5.3.2.1' },
  'caldav:valid-filter': { element: caldav('valid-filter'), status: 403, section: 'RFC 4791 §7.8' },
  // A time-range whose start/end are not UTC date-times (RFC 4791 §9.9) is malformed syntax, not a filter the server refuses.
  'caldav:malformed-time-range': {
    element: caldav('valid-filter'),
    status: 400,
    section: 'RFC 4791 §7.8',
    statusSection: 'RFC 2616 §10.4.1',
  },
  'caldav:supported-filter': { element: caldav('supported-filter'), status: 403, section: 'RFC 4791 §7.8' },
  'caldav:supported-collation': { element: caldav('supported-collation'), status: 403, section: 'RFC 4791 §7.5.1' },
  'carddav:valid-address-data': { element: carddav('valid-address-data'), status: 403, section: 'RFC 6352 §6.3.2.1' },
  'carddav:supported-address-data': {
    element: carddav('supported-address-data'),
    status: 403,
    section: 'RFC 6352 §6.3.2.1',
  },
  'carddav:no-uid-conflict': { element: carddav('no-uid-conflict'), status: 403, section: 'RFC 6352 §6.3.2.1' },
  'carddav:max-resource-size': { element: carddav('max-resource-size'), status: 403, section: 'RFC 6352 §6.3.2.1' },
  'carddav:addressbook-collection-location-ok': {
    element: carddav('addressbook-collection-location-ok'),
    status: 403,
    section: 'RFC 6352 §6.3.2.1',
  },
  'carddav:supported-filter': { element: carddav('supported-filter'), status: 403, section: 'RFC 6352 §8.6' },
  // A test or match-type attribute outside its enumeration (RFC 6352 §10.5, §10.5.4) is malformed syntax.
  'carddav:malformed-filter': {
    element: carddav('supported-filter'),
    status: 400,
    section: 'RFC 6352 §8.6',
    statusSection: 'RFC 2616 §10.4.1',
  },
  'carddav:supported-collation': { element: carddav('supported-collation'), status: 403, section: 'RFC 6352 §8.3' },
  // WebDAV-Push, a draft (no RFC number): cited by draft name and heading, checked against its text.
  'push:invalid-subscription': {
    element: webdavPush('invalid-subscription'),
    status: 403,
    section: 'draft-bitfire-webdav-push §Response',
  },
  'push:push-not-available': {
    element: webdavPush('push-not-available'),
    status: 403,
    section: 'draft-bitfire-webdav-push §Response',
  },
  'push:no-supported-trigger': {
    element: webdavPush('no-supported-trigger'),
    status: 403,
    section: 'draft-bitfire-webdav-push §Response',
  },
} as const satisfies Record<string, Precondition>;

export type PreconditionName = keyof typeof PRECONDITIONS;
