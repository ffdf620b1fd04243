import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

interface SunkMessage {
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly raw: Buffer;
  readonly user: string | undefined;
}

export interface SmtpSink {
  readonly port: number;
  readonly messages: SunkMessage[];
  /** The SMTP reply to give the next RCPT TO (e.g. 550 or 451); null = accept. */
  rejectNext: { code: number; text: string } | null;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (smtp-server) that keeps what it receives; AUTH PLAIN accepts imip/secret. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SunkMessage[] = [];
  const sink: { rejectNext: SmtpSink['rejectNext'] } = { rejectNext: null };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'imip' && auth.password === 'secret') callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const r = sink.rejectNext;
      sink.rejectNext = null;
      if (r === null) callback();
      else callback(Object.assign(new Error(r.text), { responseCode: r.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mailFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        messages.push({
          mailFrom,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
