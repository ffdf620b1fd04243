/**
 * Settings of iMIP (RFC 6047), scheduling by email: how iTIP messages leave (SMTP) and how
 * replies come back (an IMAP mailbox polled, or an LMTP listener). Off unless configured:
 * ServerConfig.imip is undefined by default (src/http/config.ts), and each side is undefined
 * until its host or port is given.
 */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
}

export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (port 993); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  /** Mailbox the replies arrive in (default INBOX). */
  readonly mailbox: string;
  /** Folder handled messages are moved to; unset = they are marked \Seen and stay. */
  readonly processedMailbox?: string | undefined;
  /** Time between two looks at the mailbox, in ms. */
  readonly pollMs: number;
}

export interface LmtpSettings {
  /** Address the LMTP listener binds (default 127.0.0.1: only this machine's MTA may deliver). */
  readonly host: string;
  readonly port: number;
}

/** Where replies go: `PREFIX+TOKEN@DOMAIN` (reply-address.ts). */
export interface ReplyAddressSettings {
  readonly domain: string;
  /** Local part before `+` (default `almanac`). */
  readonly prefix: string;
}

/** Bounds on a message received (parse-itip-mail.ts). */
export interface InboundLimits {
  readonly maxMessageBytes: number;
  readonly maxParts: number;
  readonly maxCalendarBytes: number;
}

export interface ImipConfig {
  /** The server's own address: the From of every message it sends (RFC 5322 §3.6.2). */
  readonly from?: string | undefined;
  readonly smtp?: SmtpSettings | undefined;
  /** Unset: Reply-To is the organizer's address and replies reach the organizer's own mailbox. */
  readonly reply?: ReplyAddressSettings | undefined;
  readonly imap?: ImapSettings | undefined;
  readonly lmtp?: LmtpSettings | undefined;
  readonly limits: InboundLimits;
}

export const DEFAULT_INBOUND_LIMITS: InboundLimits = {
  maxMessageBytes: 10 * 1024 * 1024,
  maxParts: 50,
  maxCalendarBytes: 1024 * 1024,
};

export const DEFAULT_REPLY_PREFIX = 'almanac';
export const DEFAULT_IMAP_POLL_MS = 60_000;
