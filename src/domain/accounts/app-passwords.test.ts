import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appPasswordId, normalizeAppPassword, parseScopes } from './app-passwords.js';
import { UserInputError } from '../users.js';

describe('app password shape and scopes', () => {
  it('an app password names its row by its first group; anything else is no app password', () => {
    assert.equal(appPasswordId('k3m9qa-bcdefg-hjkmnp-qrstuv-wxyz23'), 'k3m9qa');
    assert.equal(appPasswordId('K3M9QABCDEFGHJKMNPQRSTUVWXYZ23'), 'k3m9qa');
    assert.equal(appPasswordId('alice-pw'), null);
    assert.equal(appPasswordId('k3m9qa-bcdefg-hjkmnp-qrstuv'), null, 'too short');
    assert.equal(normalizeAppPassword(' AbCdEf-ghjkmn '), 'abcdefghjkmn');
  });

  it('scopes: dav, syncml, both; anything else is refused', () => {
    assert.deepEqual(parseScopes('dav'), ['dav']);
    assert.deepEqual(parseScopes('syncml,dav'), ['dav', 'syncml']);
    assert.deepEqual(parseScopes('both'), ['dav', 'syncml']);
    assert.throws(() => parseScopes('caldav'), UserInputError);
    assert.throws(() => parseScopes(''), UserInputError);
  });
});
