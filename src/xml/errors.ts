/** Raised for any XML the server refuses: malformed, a DTD, over a limit, not UTF-8. */
export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}
