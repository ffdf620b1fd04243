import type { NewUser, User } from '../types.js';

/** Accounts, read. */
export interface UsersReader {
  getUserByName(name: string): Promise<User | null>;
  getUserById(id: number): Promise<User | null>;
  /**
   * A user and one key-value entry (as KvReader.getValue reads it) in one statement: a write's
   * quota check needs the owner's usage and the server's default limit (issue #20: one round
   * trip less under the home's lock on PostgreSQL). Null when there is no such user.
   */
  getUserWithValue(
    id: number,
    namespace: string,
    key: string,
    now: number,
  ): Promise<{ readonly user: User; readonly value: string | null } | null>;
  listUsers(): Promise<User[]>;
  /** Users whose e-mail is one of these, compared case-insensitively (scheduling: RFC 6638 calendar user addresses). */
  getUsersByEmails(emails: readonly string[]): Promise<User[]>;
}

/** Accounts, written (inside a transaction). */
export interface UsersWriter {
  createUser(user: NewUser): Promise<User>;
  updateUser(
    id: number,
    changes: Partial<
      Pick<User, 'passwordHash' | 'email' | 'displayName' | 'directory' | 'totpSecret' | 'isAdmin' | 'quotaBytes'>
    >,
  ): Promise<void>;
  /**
   * The id of the server's own account, made on first use: the owner of server-wide collections
   * (the directory address book). No reader lists or finds it (listUsers, getUserByName,
   * getUserById, getUsersByEmails), so it has no login and no principal.
   */
  systemAccountId(): Promise<number>;
  /** Deletes the user and every resource, property, lock and change they own. */
  deleteUser(id: number): Promise<void>;
}
