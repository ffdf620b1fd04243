/**
 * Users from an IMAP server, as Atmail did (issue #19): a login is right when the IMAP server
 * accepts it (RFC 9051 §6.2.3 LOGIN, with imapflow). IMAP knows no names or groups: a login that
 * looks like an address is also the user's e-mail (their calendar user address, RFC 6638).
 */
import { couldBeUserName } from '../users.js';
import { DirectoryUnavailable, type Authenticator, type DirectoryUser } from './directory.js';

export interface ImapAuthConfig {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (IMAPS, RFC 8314); otherwise STARTTLS when the server offers it. */
  readonly tls: boolean;
  readonly timeoutMs: number;
}

export class ImapDirectory implements Authenticator {
  readonly kind = 'imap';

  constructor(private readonly config: ImapAuthConfig) {}

  async authenticate(name: string, password: string): Promise<DirectoryUser | null> {
    if (password.length === 0 || !couldBeUserName(name)) return null;
    const c = this.config;
    const { ImapFlow } = await import('imapflow'); // loaded on first use (server start-up time)
    const client = new ImapFlow({
      host: c.host,
      port: c.port,
      secure: c.tls,
      auth: { user: name, pass: password },
      logger: false,
      connectionTimeout: c.timeoutMs,
      greetingTimeout: c.timeoutMs,
      socketTimeout: c.timeoutMs * 4,
    });
    client.on('error', () => undefined); // a socket error after logout is not ours to report
    try {
      await client.connect();
    } catch (err) {
      if ((err as { authenticationFailed?: unknown }).authenticationFailed === true) return null;
      const message = err instanceof Error ? err.message : String(err);
      throw new DirectoryUnavailable(`IMAP server ${c.host}:${c.port} unavailable: ${message}`, { cause: err });
    }
    await client.logout().catch(() => client.close());
    return { name, displayName: null, emails: name.includes('@') ? [name] : [], groups: null };
  }
}
