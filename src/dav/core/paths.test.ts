import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DavError } from './errors.js';
import { storePathOf, storePathOfUri } from './paths.js';

describe('storePathOf (RFC 3986 §3.3 path → store path)', () => {
  it('maps plain paths, decoded ones and the root the same whichever way they are read', () => {
    const cases: [string, string | null][] = [
      ['/dav/calendars/alice/default/3f2a-9c.ics', '/calendars/alice/default/3f2a-9c.ics'],
      ['/dav/calendars/alice/default/', '/calendars/alice/default'],
      ['/dav/calendars/alice~x/@home/a_b.c', '/calendars/alice~x/@home/a_b.c'],
      ['/dav', '/'],
      ['/dav/', '/'],
      ['/dav/a//b/', '/a/b'],
      ['/dav/.hidden/x', '/.hidden/x'],
      ['/dav/a%20b/c%C3%A9.ics', '/a b/cé.ics'],
      ["/dav/it's(1).ics", "/it's(1).ics"],
      ['/davx/a', null],
      ['/other/dav/a', null],
    ];
    for (const [url, path] of cases) assert.equal(storePathOf(url), path, url);
    assert.equal(
      storePathOfUri('https://example.com/dav/calendars/alice/default/x.ics?y=1'),
      '/calendars/alice/default/x.ics',
    );
  });

  it('refuses dot segments, encoded slashes and bad UTF-8', () => {
    for (const url of ['/dav/a/../b', '/dav/a/./b', '/dav/..', '/dav/a%2fb', '/dav/a%ZZ', '/dav/%C3']) {
      assert.throws(() => storePathOf(url), DavError, url);
    }
  });
});
