import {
  drainOutbound,
  type DrainOptions,
  type DrainOutcome,
  type DrainSummary,
  type QueuedItip,
} from './drain-outbound.js';
import type { ImipConfig } from './imip-config.js';
import { startImapPoller, type RunningImapPoller } from './imap-poller.js';
import { startLmtpListener, type RunningLmtpListener } from './lmtp-listener.js';
import { createItipMailer, type ItipMailer } from './mailer.js';
import { readItipObject } from './itip-object.js';
import { receiveInbound, type InboundPorts } from './receive-inbound.js';
import { createReplyToken, replyTokenKey } from './reply-token.js';

/** An Almanac calendar user as the scheduling queue names them. */
interface QueueUser {
  readonly userId: string;
  readonly mailto: string;
  readonly name?: string | undefined;
}

/** One row of the scheduling side's outbound queue (one per external recipient). */
export interface OutboundRow {
  readonly id: string;
  readonly attempts: number;
  /** `mailto:` of the external recipient. */
  readonly recipient: string;
  readonly method: string;
  readonly icsText: string;
  readonly organizer: QueueUser;
  /** Who sends when it is not the organizer (an Almanac attendee's REPLY or COUNTER to an outside organizer). */
  readonly originator?: QueueUser | undefined;
}

/** What the lead plugs in from the scheduling code (no import of it here: mail → formats, domain). */
export interface ImipPorts extends InboundPorts {
  readonly claim: (limit: number) => Promise<readonly OutboundRow[]>;
  readonly mark: (id: string, outcome: DrainOutcome) => Promise<void>;
}

export interface ImipOptions {
  /** Time between two drains of the outbound queue, in ms (default 15 s); drainNow() runs one at once. */
  readonly drainEveryMs?: number;
  readonly drain?: DrainOptions;
  readonly log?: (line: string) => void;
}

export interface RunningImip {
  /** Drain the queue now (after a commit that enqueued messages); resolves with what it did. */
  drainNow(): Promise<DrainSummary>;
  readonly lmtpPort: number | null;
  close(): Promise<void>;
}

/** Methods the organizer sends (RFC 5546 §1.4): they carry a reply token so answers find the event. */
const ORGANIZER_METHODS = new Set(['REQUEST', 'ADD', 'CANCEL', 'DECLINECOUNTER', 'PUBLISH']);

function queued(row: OutboundRow, key: Buffer): QueuedItip {
  const sender = row.originator ?? row.organizer;
  let replyToken: string | undefined;
  if (row.originator === undefined && ORGANIZER_METHODS.has(row.method.toUpperCase())) {
    try {
      replyToken = createReplyToken(key, row.organizer.userId, readItipObject(row.icsText).uid);
    } catch {
      replyToken = undefined; // the mailer refuses the object itself and says why
    }
  }
  return {
    id: row.id,
    attempts: row.attempts,
    recipient: row.recipient,
    method: row.method,
    icsText: row.icsText,
    organizer: { name: sender.name, mailto: sender.mailto },
    replyToken,
  };
}

function drainLoop(mailer: ItipMailer, ports: ImipPorts, key: Buffer, options: ImipOptions, log: (l: string) => void) {
  let running: Promise<DrainSummary> | null = null;
  const claim = async (limit: number): Promise<QueuedItip[]> => (await ports.claim(limit)).map((r) => queued(r, key));
  const drainNow = async (): Promise<DrainSummary> => {
    while (running !== null) await running.catch(() => undefined);
    running = drainOutbound(claim, ports.mark, mailer, options.drain);
    try {
      const s = await running;
      if (s.sent + s.skipped + s.retried + s.failed > 0)
        log(`imip smtp: sent ${s.sent}, skipped ${s.skipped}, retry ${s.retried}, failed ${s.failed}`);
      return s;
    } finally {
      running = null;
    }
  };
  const timer = setInterval(() => {
    drainNow().catch((err: unknown) => log(`imip smtp: drain failed: ${(err as Error).message}`));
  }, options.drainEveryMs ?? 15_000);
  timer.unref();
  return {
    drainNow,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * Start what ImipConfig asks for: the outbound drain (when SMTP is set), the IMAP poller and the
 * LMTP listener (when set), all feeding receiveInbound. `serverKey` is the server's secret key
 * (http/app/secret.ts loadSecretKey); reply tokens use a key derived from it.
 */
export async function startImip(
  config: ImipConfig,
  serverKey: Buffer,
  ports: ImipPorts,
  options: ImipOptions = {},
): Promise<RunningImip> {
  const log = options.log ?? ((l: string) => console.error(l));
  const key = replyTokenKey(serverKey);
  const mailer =
    config.smtp && config.from ? createItipMailer({ from: config.from, smtp: config.smtp, reply: config.reply }) : null;
  const loop = mailer ? drainLoop(mailer, ports, key, options, log) : null;
  const onMessage = (mail: Parameters<typeof receiveInbound>[0]) => receiveInbound(mail, key, ports);
  const poller: RunningImapPoller | null = config.imap
    ? startImapPoller({ imap: config.imap, reply: config.reply, limits: config.limits }, onMessage, log)
    : null;
  let lmtp: RunningLmtpListener | null = null;
  try {
    if (config.lmtp && config.reply)
      lmtp = await startLmtpListener({ lmtp: config.lmtp, reply: config.reply, limits: config.limits }, onMessage, log);
  } catch (err) {
    await Promise.all([loop?.stop(), poller?.close()]);
    mailer?.close();
    throw err;
  }
  return {
    drainNow: () => (loop ? loop.drainNow() : Promise.resolve({ sent: 0, skipped: 0, retried: 0, failed: 0 })),
    lmtpPort: lmtp?.port ?? null,
    async close() {
      await Promise.all([loop?.stop(), poller?.close(), lmtp?.close()]);
      mailer?.close();
    },
  };
}
