import type { StoreTx } from '../store/store.js';
import type { User } from '../store/types.js';
import { hashPassword } from './passwords.js';

/** User names become URL segments: keep them to a safe, case-preserving alphabet. */
export const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class UserInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserInputError';
  }
}

/** The collections every user owns from the start; each protocol adds its own home here. */
export function homePaths(name: string): { files: string } {
  return { files: `/files/${name}` };
}

/** Create a user with their home collections, in the caller's transaction. */
export async function createUser(
  tx: StoreTx,
  input: { name: string; password: string; email?: string | null; displayName?: string | null },
): Promise<User> {
  if (!USER_NAME.test(input.name)) {
    throw new UserInputError(`invalid user name '${input.name}': use letters, digits, '.', '_', '@', '-' (max 64)`);
  }
  if (input.password.length === 0) throw new UserInputError('password must not be empty');
  if (await tx.getUserByName(input.name)) throw new UserInputError(`user '${input.name}' already exists`);
  const user = await tx.createUser({
    name: input.name,
    passwordHash: await hashPassword(input.password),
    email: input.email ?? null,
    displayName: input.displayName ?? null,
  });
  const homes = homePaths(user.name);
  await tx.createCollection(homes.files, { ownerId: user.id, home: true });
  return user;
}
