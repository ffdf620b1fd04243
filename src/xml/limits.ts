/** Explicit limits for every XML body the server parses. */
export interface XmlLimits {
  /** Deepest element nesting accepted. */
  readonly maxDepth: number;
  /** Most elements accepted in one document. */
  readonly maxElements: number;
  /** Largest document in bytes. */
  readonly maxBytes: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxDepth: 64,
  maxElements: 100_000,
  maxBytes: 10 * 1024 * 1024,
};
