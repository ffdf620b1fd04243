import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AddressRefused, addressSet, embeddedIpv4, isPrivateAddress, policyLookup } from './address-policy.js';

describe('relay address policy (RFC 6890 special-purpose registries)', () => {
  const none = new Set<string>();

  it('IPv6 forms that carry a loopback or private IPv4 address are refused like it (RFC 4291 §2.5.5, RFC 6052, RFC 3056)', () => {
    for (const a of [
      '::127.0.0.1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:0:127.0.0.1',
      '64:ff9b::127.0.0.1',
      '64:ff9b::7f00:1',
      '64:ff9b:1::a00:1',
      '2002:7f00:1::1',
      '2002:c0a8:101::',
      '::10.0.0.1',
      '::ffff:169.254.169.254',
      '0:0:0:0:0:ffff:7f00:0001',
    ]) {
      assert.equal(isPrivateAddress(a, none), true, a);
    }
    assert.equal(embeddedIpv4('64:ff9b::127.0.0.1'), '127.0.0.1');
    assert.equal(embeddedIpv4('2002:5db8:d822::1'), '93.184.216.34');
    assert.equal(embeddedIpv4('2606:2800:220:1::1'), null);
  });

  it('a public IPv4 address inside those forms is allowed; plain public addresses are allowed', () => {
    for (const a of [
      '93.184.216.34',
      '2606:2800:220:1::1',
      '64:ff9b::93.184.216.34',
      '::ffff:93.184.216.34',
      '2002:5db8:d822::1',
    ]) {
      assert.equal(isPrivateAddress(a, none), false, a);
    }
  });

  it('the classic private, loopback, link-local, unique-local, Teredo and documentation ranges are refused', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::',
      '::1',
      'fd00::1',
      'fe80::1%eth0',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '192.0.2.2',
      '203.0.113.9',
      'not-an-address',
    ]) {
      assert.equal(isPrivateAddress(a, none), true, a);
    }
  });

  it('every address of this host itself is refused, in any IPv6 spelling', () => {
    const canon = addressSet(['93.184.216.34', '2606:2800:220:1:0:0:0:1']);
    assert.equal(isPrivateAddress('93.184.216.34', canon), true);
    assert.equal(isPrivateAddress('::ffff:93.184.216.34', canon), true);
    assert.equal(isPrivateAddress('2606:2800:220:1::1', canon), true);
    assert.equal(isPrivateAddress('93.184.216.35', canon), false);
  });

  it('the connection lookup refuses a name that resolves to loopback (checked at connect time)', async () => {
    const err = await new Promise<Error | null>((resolve) =>
      policyLookup(false)('localhost', { all: true }, (e) => resolve(e)),
    );
    assert.ok(err instanceof AddressRefused, String(err));
    const ok = await new Promise<Error | null>((resolve) =>
      policyLookup(true)('localhost', { all: true }, (e) => resolve(e)),
    );
    assert.equal(ok, null);
  });
});
