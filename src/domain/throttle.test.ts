import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey, DEFAULT_THROTTLE, nameKey, nextAttemptAt } from './throttle.js';

describe('brute-force throttle policy (RFC 6585 §4 429 Too Many Requests)', () => {
  const at = (failures: number, last = 1_000_000) => ({ subject: 'user:alice', failures, lastFailureAt: last });

  it('the defaults: 5 free failures per account, then a wait from 1 s doubling per failure up to 15 min', () => {
    const p = DEFAULT_THROTTLE;
    assert.equal(p.accountFreeFailures, 5);
    assert.equal(nextAttemptAt(undefined, 5, p), 0);
    assert.equal(nextAttemptAt(at(4), 5, p), 0, 'four failures: no wait');
    assert.equal(nextAttemptAt(at(5), 5, p), 1_000_000 + 1_000);
    assert.equal(nextAttemptAt(at(6), 5, p), 1_000_000 + 2_000);
    assert.equal(nextAttemptAt(at(10), 5, p), 1_000_000 + 32_000);
    assert.equal(nextAttemptAt(at(15), 5, p), 1_000_000 + 15 * 60_000, 'capped');
    assert.equal(nextAttemptAt(at(10_000), 5, p), 1_000_000 + 15 * 60_000, 'no overflow however many');
    // A day of guessing after the cap: one per 15 min, about a hundred guesses.
    assert.ok(86_400_000 / p.maxDelayMs <= 96);
    assert.ok(p.forgetAfterMs >= p.maxDelayMs, 'a count is not forgotten while its wait runs');
    assert.ok(p.addressFreeFailures > p.accountFreeFailures, 'a shared address (NAT) has more room than one account');
  });

  it('addresses are counted whole for IPv4 (also IPv4-mapped) and by /64 for IPv6', () => {
    assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
  });

  it('account names are counted case-insensitively; names with NUL, spaces or of great length by their hash', () => {
    assert.equal(nameKey('Alice'), 'alice');
    assert.match(nameKey('a\u0000b'), /^sha256:[0-9a-f]{64}$/);
    assert.match(nameKey('a b'), /^sha256:/);
    assert.match(nameKey('x'.repeat(500)), /^sha256:/);
  });
});
