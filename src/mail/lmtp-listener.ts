import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { InboundLimits, LmtpSettings, ReplyAddressSettings } from './imip-config.js';
import { describeOutcome, type OnInboundItip } from './inbound.js';
import { parseItipMail } from './parse-itip-mail.js';
import { inReplyDomain } from './reply-address.js';

export interface LmtpListenerConfig {
  readonly lmtp: LmtpSettings;
  readonly reply: ReplyAddressSettings;
  readonly limits: InboundLimits;
}

export interface RunningLmtpListener {
  readonly port: number;
  close(): Promise<void>;
}

type Log = (line: string) => void;

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/** The message bytes, or null once they pass `max` (the rest is read and dropped). */
async function readBounded(stream: SMTPServerDataStream, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= max) chunks.push(chunk);
  }
  return size > max ? null : Buffer.concat(chunks);
}

/**
 * Handle one delivered message. A message that is not a usable iTIP message is still accepted
 * (250) and logged as rejected: refusing it would make the MTA bounce it to a sender who may be
 * forged. Only a failure of our own (the receiver threw) answers 451, so the MTA tries again.
 */
async function deliver(
  raw: Buffer,
  session: SMTPServerSession,
  config: LmtpListenerConfig,
  onMessage: OnInboundItip,
  log: Log,
): Promise<void> {
  const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
  const parsed = await parseItipMail(raw, { limits: config.limits, reply: config.reply, envelopeTo });
  if ('rejected' in parsed) {
    log(describeOutcome('lmtp', null, parsed));
    return;
  }
  try {
    log(describeOutcome('lmtp', parsed.ok, await onMessage(parsed.ok)));
  } catch (err) {
    log(`imip lmtp ${parsed.ok.messageId}: failed, asking the MTA to retry: ${(err as Error).message}`);
    throw smtpError(451, '4.3.0 Temporary failure, try again later');
  }
}

/**
 * An LMTP server (RFC 2033, via smtp-server) for sites whose MTA routes the reply domain to
 * Almanac. It accepts only recipients in the reply domain (550 otherwise) and messages up to
 * limits.maxMessageBytes (552), and hands each message to onMessage once (RFC 2033 §4.2 asks a
 * status per recipient; every recipient gets the message's status).
 */
export async function startLmtpListener(
  config: LmtpListenerConfig,
  onMessage: OnInboundItip,
  log: Log = (l) => console.error(l),
): Promise<RunningLmtpListener> {
  const server = new SMTPServer({
    lmtp: true,
    name: config.reply.domain,
    banner: 'Almanac iMIP',
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: config.limits.maxMessageBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (inReplyDomain(config.reply, address.address)) callback();
      else callback(smtpError(550, `5.1.1 <${address.address}>: not a reply address of this server`));
    },
    onData(stream, session, callback) {
      readBounded(stream, config.limits.maxMessageBytes)
        .then(async (raw) => {
          if (raw === null) throw smtpError(552, '5.3.4 Message too big');
          await deliver(raw, session, config, onMessage, log);
        })
        .then(
          () => callback(),
          (err: Error) => callback(err),
        );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.lmtp.port, config.lmtp.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`imip lmtp: ${err.message}`));
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
