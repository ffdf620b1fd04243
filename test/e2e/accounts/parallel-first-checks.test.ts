/**
 * A device's first requests, sent at once on several connections with one credential, are
 * checked once (domain/accounts/credentials.ts `joined`; issue #20). The brute-force throttle
 * takes the password checks of one account in turns, so each of them waited for the one before
 * and then ran scrypt again: 120 first PUTs at once took 19 s. Checks of other passwords or from
 * other addresses still run on their own, under the throttle. Counted on the throttle's
 * attempts, with a real SQLite store and scrypt hashes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Credentials, type CheckResult } from '../../../src/domain/accounts/credentials.js';
import { createAppPassword } from '../../../src/domain/accounts/app-passwords.js';
import { hashPassword } from '../../../src/domain/passwords.js';
import { AuthThrottle, type AttemptResult } from '../../../src/domain/throttle.js';
import { scratchSqliteStore, type ScratchStore } from '../../helpers/scratch-store.js';

/** The real throttle, counting the attempts it is asked to make. */
class CountingThrottle extends AuthThrottle {
  attempts = 0;
  override attempt<T>(name: string, address: string, verify: () => Promise<T | null>): Promise<AttemptResult<T>> {
    this.attempts += 1;
    return super.attempt(name, address, verify);
  }
}

const AT_ONCE = 12;
let scratch: ScratchStore;
let appPassword: string;

before(async () => {
  scratch = scratchSqliteStore('almanac-parallel-checks-');
  const passwordHash = await hashPassword('alice-pw');
  appPassword = await scratch.store.transaction([], async (tx) => {
    const alice = await tx.createUser({ name: 'alice', passwordHash });
    await tx.createUser({ name: 'bob', passwordHash });
    return (await createAppPassword(tx, { userId: alice.id, name: 'phone', scopes: ['dav'] })).password;
  });
});
after(() => scratch.close());

/** `n` device checks of one credential, all started in one turn. */
function atOnce(
  c: Credentials,
  n: number,
  name: string,
  password: string,
  address = '127.0.0.1',
): Promise<CheckResult[]> {
  return Promise.all(Array.from({ length: n }, () => c.device(name, password, 'dav', address)));
}

const userOf = (r: CheckResult): string | undefined => ('user' in r ? r.user.name : undefined);

describe('parallel first checks of one credential (issue #20; RFC 7617 Basic on every request)', () => {
  it(`${AT_ONCE} checks of the account password at once: one attempt, every request authenticated`, async () => {
    const throttle = new CountingThrottle(scratch.store);
    const results = await atOnce(new Credentials(scratch.store, throttle, null), AT_ONCE, 'alice', 'alice-pw');
    assert.deepEqual(results.map(userOf), Array(AT_ONCE).fill('alice'));
    assert.equal(throttle.attempts, 1);
  });

  it(`${AT_ONCE} checks of an app password at once: one attempt, every request authenticated`, async () => {
    const throttle = new CountingThrottle(scratch.store);
    const results = await atOnce(new Credentials(scratch.store, throttle, null), AT_ONCE, 'alice', appPassword);
    assert.deepEqual(results.map(userOf), Array(AT_ONCE).fill('alice'));
    assert.equal(throttle.attempts, 1);
  });

  it("an app password sent at once under another user's name is refused, not joined to its owner's check", async () => {
    const c = new Credentials(scratch.store, new CountingThrottle(scratch.store), null);
    const [owner, other] = await Promise.all([
      c.device('Alice', appPassword, 'dav', '127.0.0.1'),
      c.device('bob', appPassword, 'dav', '127.0.0.1'),
    ]);
    assert.equal(userOf(owner), 'alice');
    assert.deepEqual(other, { refused: 'wrong' });
  });

  it('a wrong password sent at once is one guess: every request refused, one attempt counted', async () => {
    const throttle = new CountingThrottle(scratch.store);
    const results = await atOnce(new Credentials(scratch.store, throttle, null), AT_ONCE, 'bob', 'guess-1');
    assert.deepEqual(results, Array(AT_ONCE).fill({ refused: 'wrong' }));
    assert.equal(throttle.attempts, 1);
  });

  it('other passwords and other addresses are checked on their own, each under the throttle', async () => {
    const throttle = new CountingThrottle(scratch.store);
    const c = new Credentials(scratch.store, throttle, null);
    const [right, wrong, elsewhere] = await Promise.all([
      atOnce(c, 3, 'bob', 'alice-pw'),
      atOnce(c, 3, 'bob', 'guess-2'),
      atOnce(c, 3, 'bob', 'alice-pw', '192.0.2.7'),
    ]);
    assert.deepEqual(right.map(userOf), ['bob', 'bob', 'bob']);
    assert.deepEqual(wrong, Array(3).fill({ refused: 'wrong' }));
    assert.deepEqual(elsewhere.map(userOf), ['bob', 'bob', 'bob']);
    assert.equal(throttle.attempts, 3);
    // Once checked, the credential is remembered: no further attempt.
    await atOnce(c, 3, 'bob', 'alice-pw');
    assert.equal(throttle.attempts, 3);
  });
});
