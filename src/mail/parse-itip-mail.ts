import type { AddressObject, Attachment, ParsedMail, StructuredHeader } from 'mailparser';
import { DEFAULT_INBOUND_LIMITS, type InboundLimits, type ReplyAddressSettings } from './imip-config.js';
import type { InboundItip, ItipPart } from './inbound.js';
import { readItipObject } from './itip-object.js';
import { tokenOf } from './reply-address.js';

export interface ParseMailOptions {
  readonly limits?: InboundLimits | undefined;
  /** Where reply tokens live; without it no token is looked for. */
  readonly reply?: ReplyAddressSettings | undefined;
  /** The envelope recipients (LMTP RCPT TO): they win over the header fields. */
  readonly envelopeTo?: readonly string[] | undefined;
}

export type ParsedItipMail = { readonly ok: InboundItip } | { readonly rejected: string };

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics', 'text/x-vcalendar']);

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list
    .flatMap((a) => a.value.flatMap((v) => [v, ...(v.group ?? [])]))
    .map((v) => v.address?.toLowerCase())
    .filter((a): a is string => a !== undefined && a !== '');
}

function headerAddresses(mail: ParsedMail, name: string): string[] {
  const v = mail.headers.get(name);
  const values =
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  return values
    .map((s) =>
      s
        .replace(/^.*<|>.*$/g, '')
        .trim()
        .toLowerCase(),
    )
    .filter((s) => s.includes('@'));
}

function recipients(mail: ParsedMail, envelope: readonly string[] | undefined): string[] {
  if (envelope !== undefined && envelope.length > 0) return envelope.map((a) => a.toLowerCase());
  const all = [
    ...addresses(mail.to),
    ...addresses(mail.cc),
    ...headerAddresses(mail, 'delivered-to'),
    ...headerAddresses(mail, 'x-original-to'),
  ];
  return [...new Set(all)];
}

/** A part's text in its declared charset (RFC 6047 §2.4: UTF-8 unless it says otherwise). */
function decodePart(a: Attachment, charset: string | undefined): string {
  let text: string;
  try {
    text = new TextDecoder(charset ?? 'utf-8').decode(a.content);
  } catch {
    text = new TextDecoder('utf-8').decode(a.content); // an unknown charset label
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

interface CalendarPart {
  readonly mimeMethod: string | undefined;
  readonly text: string;
}

function calendarParts(mail: ParsedMail, limits: InboundLimits): CalendarPart[] | string {
  const out: CalendarPart[] = [];
  for (const a of mail.attachments) {
    // RFC 6047 §2.6: the Content-Type header decides, never the file name (mailparser's
    // contentType guesses from the name when the type is application/octet-stream).
    const header = a.headers.get('content-type') as StructuredHeader | undefined;
    if (!CALENDAR_TYPES.has((header?.value ?? '').toLowerCase())) continue;
    if (a.content.length > limits.maxCalendarBytes)
      return `a calendar part of ${a.content.length} bytes exceeds ${limits.maxCalendarBytes}`;
    const params = header?.params ?? {};
    out.push({ mimeMethod: params['method']?.toUpperCase(), text: decodePart(a, params['charset']) });
  }
  return out;
}

/** The iTIP objects of the message (RFC 6047 §2.4), the same object sent twice counted once. */
function itipParts(parts: readonly CalendarPart[]): ItipPart[] | string {
  // §2.4 Note 2: text/calendar without `method` is not iMIP; only when no part has one is a
  // bare part read (some clients attach only invite.ics), and then it must hold a METHOD.
  const withMethod = parts.filter((p) => p.mimeMethod !== undefined);
  const chosen = withMethod.length > 0 ? withMethod : parts;
  if (chosen.length === 0) return 'no text/calendar part (RFC 6047 §2.4)';
  const seen = new Map<string, ItipPart>();
  for (const p of chosen) {
    let method: string;
    try {
      method = readItipObject(p.text).method;
    } catch (err) {
      return `calendar part is not an iTIP object: ${(err as Error).message.split('\n')[0] ?? ''}`;
    }
    if (p.mimeMethod !== undefined && p.mimeMethod !== method)
      return `MIME method=${p.mimeMethod} differs from METHOD:${method} (RFC 6047 §2.4)`;
    const key = p.text.replace(/\r\n/g, '\n').trim();
    if (!seen.has(key)) seen.set(key, { method, icsText: p.text });
  }
  return [...seen.values()];
}

/** A cheap upper bound on the MIME parts, counted before the parser builds them. */
function partCount(raw: Buffer): number {
  return (raw.toString('latin1').match(/^content-type:/gim) ?? []).length;
}

/** Parse a received message into an InboundItip, or say in one line why it is not one. */
export async function parseItipMail(raw: Buffer, options: ParseMailOptions = {}): Promise<ParsedItipMail> {
  const limits = options.limits ?? DEFAULT_INBOUND_LIMITS;
  if (raw.length > limits.maxMessageBytes)
    return { rejected: `message of ${raw.length} bytes exceeds ${limits.maxMessageBytes}` };
  if (partCount(raw) > limits.maxParts) return { rejected: `more than ${limits.maxParts} MIME parts` };
  let mail: ParsedMail;
  try {
    const { simpleParser } = await import('mailparser'); // loaded on first use (server start-up time)
    mail = await simpleParser(raw, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
    });
  } catch (err) {
    // Never thrown on to the listeners: the LMTP client would retry and the poller stall on it.
    return { rejected: `unreadable message: ${(err as Error).message.split('\n')[0] ?? ''}` };
  }
  const from = addresses(mail.from)[0];
  if (from === undefined) return { rejected: 'no From address' };
  const found = calendarParts(mail, limits);
  if (typeof found === 'string') return { rejected: found };
  const parts = itipParts(found);
  if (typeof parts === 'string') return { rejected: parts };
  const first = parts[0] as ItipPart;
  const to = recipients(mail, options.envelopeTo);
  const reply = options.reply;
  const token =
    reply === undefined ? undefined : (to.map((a) => tokenOf(reply, a)).find((t) => t !== null) ?? undefined);
  return {
    ok: {
      from,
      to,
      token,
      messageId: mail.messageId ?? '(no Message-ID)',
      method: first.method,
      icsText: first.icsText,
      parts,
    },
  };
}
