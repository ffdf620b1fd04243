/**
 * Where passwords are checked (issue #19): a directory of users. Local users (the `users` table
 * with its scrypt hashes) are always there; an LDAP or IMAP directory may be added by
 * `almanac serve` flags. A directory only answers "is this name/password right, and who is it";
 * the account row, its homes and groups are made from the answer by provision.ts.
 */

/** What a directory knows of a user it has just authenticated. */
export interface DirectoryUser {
  /** The login name, also the Almanac user name. */
  readonly name: string;
  readonly displayName: string | null;
  /** E-mail addresses, the first being the primary one (RFC 6638 calendar user address). */
  readonly emails: readonly string[];
  /** Group names the directory puts the user in (null: the directory has no groups). */
  readonly groups: readonly string[] | null;
}

/** An external directory of users. */
export interface Authenticator {
  /** Stored on provisioned users (`users.directory`): 'ldap', 'imap'. */
  readonly kind: string;
  /**
   * The user when `password` is right, null when it is wrong or the name is unknown; throws
   * DirectoryUnavailable when the directory cannot be asked (down, misconfigured).
   */
  authenticate(name: string, password: string): Promise<DirectoryUser | null>;
}

/** The directory could not be asked: the attempt is neither right nor wrong (503, not counted). */
export class DirectoryUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DirectoryUnavailable';
  }
}
