import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { clientAddress, parseTrustedProxies, type TrustedProxies } from './client-address.js';

/** A request as far as clientAddress reads it: the TCP peer and X-Forwarded-For lines. */
function req(peer: string, xff?: string | string[]): IncomingMessage {
  const lines = xff === undefined ? undefined : Array.isArray(xff) ? xff : [xff];
  return {
    socket: { remoteAddress: peer },
    headersDistinct: lines ? { 'x-forwarded-for': lines } : {},
  } as unknown as IncomingMessage;
}

function proxies(list: string): TrustedProxies {
  const p = parseTrustedProxies(list);
  assert.ok('ok' in p, JSON.stringify(p));
  return p.ok;
}

describe('client address behind trusted reverse proxies (X-Forwarded-For)', () => {
  const none = proxies('');
  const lb = proxies('10.0.0.0/8, 192.0.2.7, fd00::/8');

  it('without trusted proxies the TCP peer is the client, whatever X-Forwarded-For says', () => {
    assert.equal(clientAddress(req('203.0.113.9', '198.51.100.1'), none), '203.0.113.9');
    assert.equal(clientAddress(req('::ffff:203.0.113.9', '198.51.100.1'), none), '203.0.113.9', 'IPv4-mapped as IPv4');
  });

  it('from a peer that is not a trusted proxy the header is ignored (a client cannot name its address)', () => {
    assert.equal(clientAddress(req('203.0.113.9', '10.0.0.1, 198.51.100.1'), lb), '203.0.113.9');
  });

  it('from a trusted proxy the right-most address that is not a trusted proxy is the client', () => {
    assert.equal(clientAddress(req('192.0.2.7', '198.51.100.1'), lb), '198.51.100.1');
    assert.equal(
      clientAddress(req('::ffff:10.1.2.3', '198.51.100.1, 10.9.9.9'), lb),
      '198.51.100.1',
      'a chain of trusted proxies',
    );
    assert.equal(
      clientAddress(req('192.0.2.7', '6.6.6.6, 198.51.100.1'), lb),
      '198.51.100.1',
      'what the client wrote itself is left of it',
    );
    assert.equal(
      clientAddress(req('192.0.2.7', ['6.6.6.6', '198.51.100.2']), lb),
      '198.51.100.2',
      'several header lines in order',
    );
    assert.equal(clientAddress(req('fd00::1', '[2001:db8::5]:4711'), lb), '2001:db8::5', 'bracketed IPv6 with a port');
    assert.equal(clientAddress(req('192.0.2.7', '198.51.100.1:5000'), lb), '198.51.100.1', 'IPv4 with a port');
  });

  it('a trusted proxy without the header, or passing on no address, stands as the client', () => {
    assert.equal(clientAddress(req('192.0.2.7'), lb), '192.0.2.7');
    assert.equal(clientAddress(req('192.0.2.7', 'unknown'), lb), '192.0.2.7');
    assert.equal(
      clientAddress(req('192.0.2.7', 'junk, 10.0.0.4'), lb),
      '10.0.0.4',
      'the nearest address known, never the junk',
    );
    assert.equal(
      clientAddress(req('192.0.2.7', '10.0.0.4'), lb),
      '10.0.0.4',
      'only trusted proxies: the left-most of them',
    );
  });

  it('the setting takes addresses and CIDR blocks, and refuses anything else', () => {
    assert.ok(
      lb.has('10.200.0.1') && lb.has('192.0.2.7') && lb.has('fd12::3') && !lb.has('192.0.2.8') && !lb.has('junk'),
    );
    assert.deepEqual(lb.entries, ['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/8', '::1/129', '10.0.0.0/x']) {
      assert.ok('error' in parseTrustedProxies(bad), bad);
    }
  });
});
