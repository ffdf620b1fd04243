import type { AppPassword, AppPasswordScope } from '../types.js';

/** Per-device app passwords (issue #19), read. */
export interface AppPasswordsReader {
  /** The app password with this id, or null (revoked or never made). */
  getAppPassword(id: string): Promise<AppPassword | null>;
  /** A user's app passwords, oldest first. */
  listAppPasswords(userId: number): Promise<AppPassword[]>;
}

/** Per-device app passwords, written (inside a transaction). */
export interface AppPasswordsWriter {
  createAppPassword(p: {
    readonly id: string;
    readonly userId: number;
    readonly name: string;
    readonly scopes: readonly AppPasswordScope[];
    readonly secretHash: string;
  }): Promise<AppPassword>;
  /** Revoke one of the user's app passwords; false when the user has none with this id. */
  deleteAppPassword(userId: number, id: string): Promise<boolean>;
  /** Note a use at `at`, unless one at or after `notBefore` is already noted. */
  touchAppPassword(id: string, at: number, notBefore: number): Promise<void>;
}
