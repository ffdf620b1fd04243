import { StoreError } from '../../store/store.js';

const ATTEMPTS = 3;

/**
 * Run a write transaction again when the database failed it to break a deadlock (StoreError
 * `deadlock`; nothing of it was committed). Two writes that deliver into each other's areas
 * (RFC 6638 §3.2: alice invites bob while bob invites alice, on two nodes) each hold their own
 * area and wait for the other's rows; PostgreSQL fails one of them, and run again it finds the
 * other committed. Only for transactions that are a function of their request (writeObject,
 * deleteMember): `run` starts a new transaction every time.
 */
export async function rerunOnDeadlock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof StoreError && err.code === 'deadlock') || attempt >= ATTEMPTS) throw err;
    }
  }
}
