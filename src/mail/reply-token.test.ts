import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replyAddress, tokenOf } from './reply-address.js';
import { createReplyToken, replyTokenKey, verifyReplyToken } from './reply-token.js';

const key = replyTokenKey(Buffer.alloc(32, 1));
const settings = { domain: 'Almanac.Example', prefix: 'almanac' };

describe('reply tokens', () => {
  it('round-trip: the token names the organizer for its UID only', () => {
    const token = createReplyToken(key, 'alice', 'uid-1@x');
    assert.equal(verifyReplyToken(key, token, 'uid-1@x'), 'alice');
    assert.equal(verifyReplyToken(key, token, 'uid-2@x'), null, 'another event');
    assert.equal(verifyReplyToken(replyTokenKey(Buffer.alloc(32, 2)), token, 'uid-1@x'), null, 'another server key');
  });

  it('cannot be re-pointed at another user; survives upper-casing by a mail system', () => {
    const token = createReplyToken(key, 'alice', 'u');
    const forged = `${createReplyToken(key, 'bob', 'u').split('-')[0] ?? ''}-${token.split('-')[1] ?? ''}`;
    assert.equal(verifyReplyToken(key, forged, 'u'), null);
    assert.equal(verifyReplyToken(key, token.toUpperCase(), 'u'), 'alice');
    assert.equal(verifyReplyToken(key, 'garbage', 'u'), null);
    assert.equal(verifyReplyToken(key, `${token}x`, 'u'), null);
  });

  it('non-ASCII user ids round-trip', () => {
    assert.equal(verifyReplyToken(key, createReplyToken(key, 'zoë', 'u'), 'u'), 'zoë');
  });

  it('reply address: PREFIX+TOKEN@DOMAIN within 64 octets of local part (RFC 5321 §4.5.3.1.1)', () => {
    const token = createReplyToken(key, 'alice', 'u');
    const address = replyAddress(settings, token);
    assert.equal(address, `almanac+${token}@Almanac.Example`);
    assert.equal(tokenOf(settings, (address as string).toUpperCase()), token);
    assert.equal(tokenOf(settings, `almanac+${token}@other.example`), null);
    assert.equal(tokenOf(settings, 'almanac@almanac.example'), null);
    assert.equal(replyAddress(settings, createReplyToken(key, 'a-very-long-user-name-indeed-1234', 'u')), null);
  });
});
