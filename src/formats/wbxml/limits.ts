/**
 * Explicit limits on one decoded SyncML document, in either encoding: WBXML (`codec.ts`) and XML
 * (`../syncml/xml.ts`). They are the limits of the DAV XML layer (src/xml/limits.ts: bytes after
 * expansion, elements, depth, attributes), restated here because `formats` imports nothing else of
 * ours, plus one of WBXML's own: the output of string-table references (WAP-192 §5.7), the one
 * place where a few input bytes can stand for many output bytes.
 *
 * A decoder charges a `DocumentBudget` as it goes and stops at the first limit passed, before it
 * allocates what it was about to produce, so a hostile body costs at most the limits, never its
 * expansion. One budget can be shared by nested decodes (a WBXML DevInf inside a SyncML message).
 */

export interface DocumentLimits {
  /** Deepest element nesting (as the DAV XML layer). */
  readonly maxDepth: number;
  /** Most elements in one document, nested documents included (as the DAV XML layer). */
  readonly maxElements: number;
  /** Most text and opaque bytes after expansion (string-table references, entities, nested documents). */
  readonly maxBytes: number;
  /** Most attributes, namespace declarations included, on one element (XML; WBXML attributes are skipped). */
  readonly maxAttributes: number;
  /** Most bytes that WBXML string-table references may produce in total (not a count of references). */
  readonly maxStringTableOutput: number;
}

/** Largest SyncML message body accepted (HTTP); the expanded document may be no larger. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxDepth: 64,
  // A message of 100,000 elements is ~15,000 items: far beyond any client's MaxMsgSize.
  maxElements: 100_000,
  maxBytes: MAX_MESSAGE_BYTES,
  // SyncML uses no attributes besides xmlns; real messages declare one to three namespaces.
  maxAttributes: 64,
  // SyncML encoders use the string table for the public ID at most; 1 MiB of repeated strings is
  // far more than a legitimate message carries and keeps a reference bomb to a few MB.
  maxStringTableOutput: 1024 * 1024,
};

/** A document over a limit: 413 when it is too big, 400 when it is shaped beyond what is accepted. */
export class DocumentLimitError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentLimitError';
  }
}

/** Running totals of one decode (or of nested decodes sharing it), checked against the limits. */
export class DocumentBudget {
  private elements = 0;
  private bytes = 0;
  private tableBytes = 0;

  constructor(readonly limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS) {}

  /** One more element at `depth` (the root is 0). */
  element(depth: number): void {
    if (depth >= this.limits.maxDepth)
      throw new DocumentLimitError(400, `nesting deeper than ${this.limits.maxDepth} elements`);
    this.elements += 1;
    if (this.elements > this.limits.maxElements)
      throw new DocumentLimitError(413, `more than ${this.limits.maxElements} elements`);
  }

  /** `n` more attributes on one element. */
  attributes(n: number): void {
    if (n > this.limits.maxAttributes)
      throw new DocumentLimitError(400, `more than ${this.limits.maxAttributes} attributes on one element`);
  }

  /** `n` more bytes of text or opaque data, charged before they are produced. */
  output(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes)
      throw new DocumentLimitError(413, `more than ${this.limits.maxBytes} bytes of content after expansion`);
  }

  /** `n` more bytes produced by a string-table reference (counted as output too). */
  tableOutput(n: number): void {
    this.tableBytes += n;
    if (this.tableBytes > this.limits.maxStringTableOutput) {
      throw new DocumentLimitError(
        413,
        `string-table references expand to more than ${this.limits.maxStringTableOutput} bytes`,
      );
    }
    this.output(n);
  }
}
