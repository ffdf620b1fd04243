import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replyTokenKey } from '../../../src/mail/reply-token.js';

const DIR = fileURLToPath(new URL('../../../../test/mail/fixtures/', import.meta.url)); // dist/test/mail/helpers/ → test/mail/fixtures/

/** A message of test/mail/fixtures/ as it arrives (CRLF line ends). */
export function fixture(name: string): Buffer {
  return readFileSync(`${DIR}${name}`);
}

/** The server key the fixtures' reply tokens were made with (32 bytes of 7). */
export const FIXTURE_KEY = replyTokenKey(Buffer.alloc(32, 7));
export const REPLY = { domain: 'almanac.example', prefix: 'almanac' } as const;
export const GMAIL_UID = '7kq3m1t0cd5l2s9b8v0f1gh2ab@google.com';
export const OUTLOOK_REPLY_UID =
  '040000008200E00074C5B7101A82E00800000000D0B6A8F3A1E5DA01000000000000000010000000B9E3C4F9A2B6D145A0E1C8F1D2B3A4C5';
