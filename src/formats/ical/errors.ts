/**
 * Why an iCalendar body was refused. The codes map one to one onto the RFC 4791 §5.3.2.1
 * preconditions; the DAV layer turns them into DAV:error bodies.
 */
export type IcalErrorCode =
  | 'valid-calendar-data'
  | 'supported-calendar-data'
  | 'max-resource-size'
  | 'valid-calendar-object-resource'
  | 'supported-calendar-component'
  | 'min-date-time'
  | 'max-date-time'
  | 'max-instances';

export class IcalError extends Error {
  constructor(
    readonly code: IcalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IcalError';
  }
}

/**
 * A recurrence or time-zone expansion reached one of the bounds of `limits.ts`. At PUT it is the
 * reason the object is not valid calendar data; in a report it fails that request only.
 */
export class ExpansionLimitError extends IcalError {
  constructor(message: string) {
    super('valid-calendar-data', message);
    this.name = 'ExpansionLimitError';
  }
}
