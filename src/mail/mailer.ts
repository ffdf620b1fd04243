import type { SendMailOptions, Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { ReplyAddressSettings, SmtpSettings } from './imip-config.js';
import { subjectFor, plainTextFor, type OutboundItipMessage } from './itip-message.js';
import { isWhollyPast, mailtoAddress, mailtoTarget, readItipObject, type ItipObject } from './itip-object.js';
import { replyAddress } from './reply-address.js';

/** What the outbound side needs of ImipConfig. */
export interface MailerConfig {
  readonly from: string;
  readonly smtp: SmtpSettings;
  readonly reply?: ReplyAddressSettings | undefined;
}

export type SendResult =
  | { readonly ok: true; readonly status: 'sent'; readonly messageId: string }
  /** Nothing was sent on purpose (an event wholly in the past); not an error, never retried. */
  | { readonly ok: true; readonly status: 'skipped'; readonly reason: string }
  /** `permanent`: sending again cannot help (a 5xx reply, a malformed message). */
  | { readonly ok: false; readonly status: 'failed'; readonly error: string; readonly permanent: boolean };

export interface ItipMailer {
  send(message: OutboundItipMessage): Promise<SendResult>;
  close(): void;
}

export interface MailerOptions {
  /** Clock for the "wholly in the past" rule (tests). */
  readonly now?: () => number;
  /** SMTP connection, greeting and socket timeout in ms (default 30 s). */
  readonly timeoutMs?: number;
}

async function transportFor(
  smtp: SmtpSettings,
  timeoutMs: number,
): Promise<Transporter<SMTPTransport.SentMessageInfo>> {
  // nodemailer is loaded with the first message, not at server start-up (most servers send none).
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user !== undefined ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

/** A send failure in words, and whether a retry could succeed (SMTP 4xx and network errors can). */
function classifySendError(err: unknown): { error: string; permanent: boolean } {
  const e = err as { responseCode?: unknown; response?: unknown; message?: unknown; code?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const text = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(err);
  const error = text.split(/\r?\n/)[0] ?? text;
  // RFC 5321 §4.2.1: 5yz is a permanent negative completion reply, 4yz a transient one.
  if (code !== null) return { error, permanent: code >= 500 };
  return { error: typeof e.code === 'string' ? `${e.code}: ${error}` : error, permanent: false };
}

/**
 * The MIME message (RFC 6047 §2.4): multipart/alternative of text/plain and
 * `text/calendar; method=METHOD; charset=utf-8; component=…`, and the same object as an
 * invite.ics attachment for programs that only look at attachments. From is the server's
 * address (with the organizer's name), Reply-To the tokenised reply address or the organizer.
 */
function mailFor(config: MailerConfig, message: OutboundItipMessage, obj: ItipObject, to: string): SendMailOptions {
  const organizer = mailtoAddress(message.organizer.mailto) ?? message.organizer.mailto;
  const name = message.organizer.name ?? obj.organizerName ?? organizer;
  const tokenised = config.reply && message.replyToken ? replyAddress(config.reply, message.replyToken) : null;
  return {
    from: { name: `${name} (via Almanac)`, address: config.from },
    to,
    replyTo: tokenised ?? { name, address: organizer },
    subject: subjectFor(obj.method, message.summary ?? obj.summary),
    text: plainTextFor(obj, name === organizer ? organizer : `${name} <${organizer}>`),
    alternatives: [
      {
        contentType: `text/calendar; charset=utf-8; method=${obj.method}; component=${obj.component}`,
        content: message.icsText,
      },
    ],
    attachments: [{ filename: 'invite.ics', contentType: 'application/ics', content: message.icsText }],
    // RFC 3834 §5: sent by a program, so vacation responders do not answer it.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

function check(message: OutboundItipMessage, now: number): { obj: ItipObject; to: string } | SendResult {
  const failed = (error: string): SendResult => ({ ok: false, status: 'failed', error, permanent: true });
  const to = mailtoTarget(message.recipient);
  if (to === null) return failed(`recipient ${message.recipient} is not a mailto: address (RFC 6047 §2.3)`);
  let obj: ItipObject;
  try {
    obj = readItipObject(message.icsText);
  } catch (err) {
    return failed(`not an iTIP object: ${(err as Error).message}`);
  }
  // RFC 6047 §2.4: the MIME method parameter MUST equal the iCalendar METHOD.
  if (obj.method !== message.method.toUpperCase())
    return failed(`METHOD ${obj.method} differs from the message's ${message.method}`);
  if (isWhollyPast(obj, now)) return { ok: true, status: 'skipped', reason: 'the event is wholly in the past' };
  return { obj, to };
}

/** The outbound half of iMIP: one SMTP transport (nodemailer) for every message. */
export function createItipMailer(config: MailerConfig, options: MailerOptions = {}): ItipMailer {
  let transport: Promise<Transporter<SMTPTransport.SentMessageInfo>> | null = null;
  const now = options.now ?? Date.now;
  return {
    async send(message) {
      const checked = check(message, now());
      if ('status' in checked) return checked;
      try {
        transport ??= transportFor(config.smtp, options.timeoutMs ?? 30_000);
        const info = await (await transport).sendMail(mailFor(config, message, checked.obj, checked.to));
        return { ok: true, status: 'sent', messageId: info.messageId };
      } catch (err) {
        return { ok: false, status: 'failed', ...classifySendError(err) };
      }
    },
    close() {
      void transport?.then((t) => t.close());
    },
  };
}
