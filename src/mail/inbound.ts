/** One iTIP object found in a message (RFC 6047 §2.4: a message may carry several). */
export interface ItipPart {
  /** METHOD, upper case; equal to the MIME `method` parameter when there was one. */
  readonly method: string;
  readonly icsText: string;
}

/** An iMIP message received, parsed and bounded (parse-itip-mail.ts); not yet checked or applied. */
export interface InboundItip {
  /** The From address, lower case. */
  readonly from: string;
  /** Recipients, lower case: the envelope (LMTP RCPT TO) when known, else To, Cc and Delivered-To. */
  readonly to: readonly string[];
  /** The reply token of the first recipient in the reply domain (reply-address.ts), not yet verified. */
  readonly token?: string | undefined;
  readonly messageId: string;
  /** The first iTIP object; `parts` holds it and any further ones. */
  readonly method: string;
  readonly icsText: string;
  readonly parts: readonly ItipPart[];
}

/** What the receiver did with a message; every message ends in one of these and is logged. */
export type InboundOutcome = 'applied' | 'ignored' | { readonly rejected: string };

export type OnInboundItip = (mail: InboundItip) => Promise<InboundOutcome>;

/** One log line per message (the IMAP poller and LMTP listener record every message this way). */
export function describeOutcome(
  source: string,
  mail: { readonly messageId: string; readonly from: string } | null,
  outcome: InboundOutcome,
): string {
  const who = mail === null ? '' : ` ${mail.messageId} from ${mail.from}`;
  const what = typeof outcome === 'string' ? outcome : `rejected: ${outcome.rejected}`;
  return `imip ${source}${who}: ${what}`;
}
