import type { ImapFlow } from 'imapflow';
import type { ImapSettings, InboundLimits, ReplyAddressSettings } from './imip-config.js';
import { describeOutcome, type InboundOutcome, type OnInboundItip } from './inbound.js';
import { parseItipMail } from './parse-itip-mail.js';

export interface ImapPollerConfig {
  readonly imap: ImapSettings;
  readonly reply?: ReplyAddressSettings | undefined;
  readonly limits: InboundLimits;
}

interface PollSummary {
  /** Messages handled (whatever the outcome) and so marked \Seen or moved. */
  handled: number;
  /** Messages left unseen because the receiver failed; the next poll tries them again. */
  deferred: number;
}

export interface RunningImapPoller {
  /** Poll now (waits for a poll in progress first); rejects when the server cannot be reached. */
  pollNow(): Promise<PollSummary>;
  close(): Promise<void>;
}

type Log = (line: string) => void;

/** Messages handled in one poll at most; a backlog is worked off over the next polls. */
const MAX_PER_POLL = 200;

/** What happened to one message: its outcome, or null when the receiver failed (retry later). */
async function handleOne(
  client: ImapFlow,
  uid: number,
  config: ImapPollerConfig,
  onMessage: OnInboundItip,
  log: Log,
): Promise<InboundOutcome | null> {
  const head = await client.fetchOne(String(uid), { size: true }, { uid: true });
  const size = head === false ? 0 : (head.size ?? 0);
  if (size > config.limits.maxMessageBytes) {
    const outcome = { rejected: `message of ${size} bytes exceeds ${config.limits.maxMessageBytes}` };
    log(describeOutcome(`imap uid ${uid}`, null, outcome));
    return outcome;
  }
  const msg = await client.fetchOne(String(uid), { source: true }, { uid: true }); // BODY.PEEK: stays unseen
  const parsed = await parseItipMail(msg === false || !msg.source ? Buffer.alloc(0) : msg.source, {
    limits: config.limits,
    reply: config.reply,
  });
  if ('rejected' in parsed) {
    log(describeOutcome(`imap uid ${uid}`, null, parsed));
    return parsed;
  }
  try {
    const outcome = await onMessage(parsed.ok);
    log(describeOutcome(`imap uid ${uid}`, parsed.ok, outcome));
    return outcome;
  } catch (err) {
    log(
      `imip imap uid ${uid} ${parsed.ok.messageId}: failed, left unseen for the next poll: ${(err as Error).message}`,
    );
    return null;
  }
}

/** Mark a handled message: moved to the processed folder, or flagged \Seen (RFC 9051 §2.3.2). */
async function markHandled(client: ImapFlow, uid: number, imap: ImapSettings): Promise<void> {
  if (imap.processedMailbox !== undefined) await client.messageMove(String(uid), imap.processedMailbox, { uid: true });
  else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
}

async function ensureMailbox(client: ImapFlow, path: string): Promise<void> {
  const list = await client.list();
  if (!list.some((m) => m.path === path)) await client.mailboxCreate(path);
}

/** One poll: every unseen message of the mailbox, oldest first. */
async function pollOnce(config: ImapPollerConfig, onMessage: OnInboundItip, log: Log): Promise<PollSummary> {
  const { imap } = config;
  const { ImapFlow } = await import('imapflow'); // loaded on first use (server start-up time)
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  });
  client.on('error', (err: Error) => log(`imip imap: ${err.message}`));
  const summary: PollSummary = { handled: 0, deferred: 0 };
  await client.connect();
  try {
    if (imap.processedMailbox !== undefined) await ensureMailbox(client, imap.processedMailbox);
    const lock = await client.getMailboxLock(imap.mailbox);
    try {
      const uids = (await client.search({ seen: false }, { uid: true })) || [];
      for (const uid of uids.sort((a, b) => a - b).slice(0, MAX_PER_POLL)) {
        const outcome = await handleOne(client, uid, config, onMessage, log);
        if (outcome === null) summary.deferred += 1;
        else {
          await markHandled(client, uid, imap);
          summary.handled += 1;
        }
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return summary;
}

/**
 * Poll an IMAP mailbox (imapflow) that receives the replies: every imap.pollMs, each unseen
 * message goes to onMessage and is then marked \Seen or moved to imap.processedMailbox; one log
 * line per message says what happened. A message whose receiver threw stays unseen and is tried
 * again on the next poll. The first poll starts at once.
 */
export function startImapPoller(
  config: ImapPollerConfig,
  onMessage: OnInboundItip,
  log: Log = (l) => console.error(l),
): RunningImapPoller {
  let current: Promise<PollSummary> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  const poll = async (): Promise<PollSummary> => {
    while (current !== null) await current.catch(() => undefined);
    const run = pollOnce(config, onMessage, log);
    current = run;
    try {
      return await run;
    } finally {
      current = null;
    }
  };
  const tick = (): void => {
    poll()
      .catch((err: unknown) =>
        log(`imip imap ${config.imap.host}:${config.imap.port}: poll failed: ${(err as Error).message}`),
      )
      .finally(() => {
        if (!closed) timer = setTimeout(tick, config.imap.pollMs);
      });
  };
  tick();
  return {
    pollNow: poll,
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      await current?.catch(() => undefined);
    },
  };
}
