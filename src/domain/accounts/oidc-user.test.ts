import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oidcUser } from './oidc-user.js';

describe('the user an OpenID Connect login names', () => {
  it('preferred_username is the user name; name and a verified address come along', () => {
    assert.deepEqual(
      oidcUser(
        { sub: '1', preferred_username: 'carol', name: ' Carol C ', email: 'c@x.org', email_verified: true },
        'preferred_username',
      ),
      { name: 'carol', displayName: 'Carol C', emails: ['c@x.org'], groups: null },
    );
    const unverified = oidcUser({ sub: '1', preferred_username: 'carol', email: 'c@x.org' }, 'preferred_username');
    assert.deepEqual(
      'emails' in unverified && unverified.emails,
      [],
      'an unverified address is not the calendar address',
    );
  });

  it('email picks the account only when verified, lower-cased', () => {
    const ok = oidcUser({ sub: '1', email: 'Carol@X.org', email_verified: true }, 'email');
    assert.equal('name' in ok && ok.name, 'carol@x.org');
    assert.ok('refused' in oidcUser({ sub: '1', email: 'carol@x.org', email_verified: false }, 'email'));
    assert.ok('refused' in oidcUser({ sub: '1', email: 'carol@x.org' }, 'email'));
  });

  it('a missing claim or one that cannot be a user name is refused', () => {
    assert.ok('refused' in oidcUser({ sub: '1' }, 'preferred_username'));
    assert.ok('refused' in oidcUser({ sub: '1', preferred_username: '' }, 'preferred_username'));
    assert.ok('refused' in oidcUser({ sub: '1', preferred_username: '../admin' }, 'preferred_username'));
    assert.ok('refused' in oidcUser({ sub: '1', preferred_username: 42 }, 'preferred_username'));
  });
});
