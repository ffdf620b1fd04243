import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { appleProfile } from './mobileconfig.js';
import { davx5Url } from './onboarding-api.js';

/** Python's plistlib is the independent reader. */
function parsePlist(text: string): Record<string, unknown> {
  const script = 'import plistlib, json, sys\nprint(json.dumps(plistlib.loads(sys.stdin.buffer.read())))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: text, encoding: 'utf8' })) as Record<
    string,
    unknown
  >;
}

describe('device onboarding formats', () => {
  it('an https server: port 443 with TLS; markup in names is escaped, C0 controls dropped', () => {
    const text = appleProfile({
      origin: 'https://dav.example.org',
      userName: 'a&b',
      password: 'pw<1>',
      device: 'Bob\u0001s <iPad> & "more"',
      principalPath: '/dav/principals/users/a%26b/',
    });
    const p = parsePlist(text);
    const [cal] = p.PayloadContent as Record<string, unknown>[];
    assert.equal(cal?.CalDAVPort, 443);
    assert.equal(cal?.CalDAVUseSSL, true);
    assert.equal(cal?.CalDAVUsername, 'a&b');
    assert.equal(cal?.CalDAVPassword, 'pw<1>');
    assert.equal(p.PayloadDescription, 'Calendars and contacts of a&b on dav.example.org, for Bobs <iPad> & "more".');
    assert.equal(p.PayloadIdentifier, 'org.example.dav.almanac.profile.a&b');
  });

  it('DAVx5: davx5:// (https) with the user info percent-encoded; caldav:// for plain http', () => {
    assert.equal(davx5Url('https://dav.example.org', 'a@b.org', 'x:y'), 'davx5://a%40b.org:x%3Ay@dav.example.org/dav/');
    assert.equal(davx5Url('http://127.0.0.1:8080', 'alice', 'pw'), 'caldav://alice:pw@127.0.0.1:8080/dav/');
  });
});
