import type { StoreTx } from '../store/store.js';
import type { User } from '../store/types.js';
import { DIRECTORY_KEY, updateDirectory } from './directory/directory-book.js';
import { hashPassword } from './passwords.js';
import { ensureScheduleBoxes } from './scheduling/boxes.js';

/** User names become URL segments: keep them to a safe, case-preserving alphabet. */
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** Whether `name` could name a user at all; any other name is unknown without asking the store. */
export function couldBeUserName(name: string): boolean {
  return USER_NAME.test(name);
}

export class UserInputError extends Error {
  constructor(
    message: string,
    /** What went wrong, for an API's status: bad input (400), nothing by that name (404), a clash (409). */
    readonly kind: 'invalid' | 'not-found' | 'conflict' = 'invalid',
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

/** The home collections every user owns, one per protocol area. */
export function homePaths(name: string): { files: string; calendars: string; addressbooks: string } {
  return { files: `/files/${name}`, calendars: `/calendars/${name}`, addressbooks: `/addressbooks/${name}` };
}

/**
 * The lock keys of a transaction that creates, changes or deletes the user `name`: their homes,
 * and the directory address book, whose card of theirs changes in the same transaction.
 */
export function accountLockKeys(name: string): string[] {
  return [...Object.values(homePaths(name)), DIRECTORY_KEY];
}

/** Name of the calendar and the address book every new user starts with. */
const DEFAULT_COLLECTION = 'default';

function displayNameXml(name: string): string {
  const escaped = name.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<D:displayname xmlns:D="DAV:">${escaped}</D:displayname>`;
}

/** Create a user with their home collections and directory card, in the caller's transaction (keys: `accountLockKeys`). */
export async function createUser(
  tx: StoreTx,
  input: {
    name: string;
    /** The password, or `passwordHash` already computed by `hashPassword` (many accounts made at once). */
    password: string | { readonly passwordHash: string };
    email?: string | null;
    displayName?: string | null;
    /** The directory the user comes from (accounts/provision.ts); absent = a local user. */
    directory?: string | null;
    /** May use the admin section (accounts/admin.ts). */
    isAdmin?: boolean;
  },
): Promise<User> {
  if (!USER_NAME.test(input.name)) {
    throw new UserInputError(`invalid user name '${input.name}': use letters, digits, '.', '_', '@', '-' (max 64)`);
  }
  const password = input.password;
  if (typeof password === 'string' && password.length === 0) throw new UserInputError('password must not be empty');
  if (await tx.getUserByName(input.name)) throw new UserInputError(`user '${input.name}' already exists`, 'conflict');
  const user = await tx.createUser({
    name: input.name,
    passwordHash: typeof password === 'string' ? await hashPassword(password) : password.passwordHash,
    email: input.email ?? null,
    displayName: input.displayName ?? null,
    directory: input.directory ?? null,
    isAdmin: input.isAdmin === true,
  });
  const homes = homePaths(user.name);
  await tx.createCollection(homes.files, { ownerId: user.id, home: true });
  await tx.createCollection(homes.calendars, { ownerId: user.id, home: true });
  await tx.createCollection(homes.addressbooks, { ownerId: user.id, home: true });
  // A default calendar (events and tasks) and a default address book, as clients expect.
  const calendar = await tx.createCollection(`${homes.calendars}/${DEFAULT_COLLECTION}`, {
    ownerId: user.id,
    collectionType: 'calendar',
  });
  await tx.patchProperties(calendar.id, [{ name: '{DAV:}displayname', xml: displayNameXml('Calendar') }], []);
  const book = await tx.createCollection(`${homes.addressbooks}/${DEFAULT_COLLECTION}`, {
    ownerId: user.id,
    collectionType: 'addressbook',
  });
  await tx.patchProperties(book.id, [{ name: '{DAV:}displayname', xml: displayNameXml('Contacts') }], []);
  // RFC 6638 §2.1-2.2: every user has a scheduling inbox and outbox.
  await ensureScheduleBoxes(tx, user);
  // Their card in the directory address book, in this transaction (domain/directory).
  await updateDirectory(tx, { users: [user.id] });
  return user;
}
