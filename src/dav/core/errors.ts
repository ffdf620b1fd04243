import type { XmlNode } from '../../xml/element.js';
import { PRECONDITIONS, type PreconditionName } from './preconditions.js';

/**
 * An error that knows its response. Either a plain status with a message, or a named
 * precondition (rendered as `<D:error>`), optionally with child content for the element.
 */
export class DavError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly condition?: PreconditionName,
    readonly conditionContent: readonly XmlNode[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DavError';
  }

  /** A named precondition; its status is the table's (preconditions.ts), never the caller's. */
  static condition(name: PreconditionName, message: string, content: readonly XmlNode[] = []): DavError {
    return new DavError(PRECONDITIONS[name].status, message, name, content);
  }

  static badRequest(message: string): DavError {
    return new DavError(400, message);
  }

  static notFound(message = 'not found'): DavError {
    return new DavError(404, message);
  }
}
