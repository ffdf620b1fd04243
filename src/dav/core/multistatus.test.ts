import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { el } from '../../xml/element.js';
import { caldav, dav } from '../../xml/names.js';
import { StreamingXmlWriter } from '../../xml/write.js';
import { propstat, responseText, responseWithPropstats } from './multistatus.js';
import { hrefOf } from './paths.js';

const tree = (node: Parameters<StreamingXmlWriter['write']>[0]): string =>
  new StreamingXmlWriter(dav('multistatus')).write(node);

describe('DAV:response written as text (RFC 4918 §13, dav/core/multistatus.ts)', () => {
  it('responseText gives the bytes the tree writer gives: escaping, empty prop, fixed and declared namespaces', () => {
    const found = [
      el(dav('getetag'), {}, '"a&b<c>"'),
      el('{urn:x}one', { '{urn:x}attr': 'v"1' }, el('{urn:y}two', {}, 'x')),
      el('{urn:x}three'),
      el(caldav('calendar-data'), {}, 'BEGIN:VCALENDAR\r\n<&>'),
      { raw: '<p xmlns="urn:z">raw</p>' },
    ];
    const missing = [el('{urn:x}gone'), el(dav('displayname'))];
    const groups = [
      { status: 200, props: found },
      { status: 403, props: [] },
      { status: 404, props: missing },
    ];
    for (const href of ['/dav/calendars/u1/a%20b.ics', '/dav/x&y<z>/']) {
      const expected = tree(
        responseWithPropstats(
          href,
          groups.map((g) => propstat(g.status, g.props)),
        ),
      );
      const written = responseText(href, groups);
      assert.ok('raw' in (written as object));
      assert.equal((written as { raw: string }).raw, expected);
      // A second response restarts the generated prefixes as a tree write would.
      assert.equal((responseText(href, groups) as { raw: string }).raw, expected);
    }
  });

  it('hrefOf: a path of plain segments and one needing encoding give the percent-encoded href', () => {
    assert.equal(hrefOf('/calendars/u1/default/3f2a-b.ics', false), '/dav/calendars/u1/default/3f2a-b.ics');
    assert.equal(hrefOf('/calendars/u1/default', true), '/dav/calendars/u1/default/');
    assert.equal(hrefOf('/files/u1/a b/c%d', false), '/dav/files/u1/a%20b/c%25d');
    assert.equal(hrefOf('/files/u1/ä', true), '/dav/files/u1/%C3%A4/');
    assert.equal(hrefOf('/', true), '/dav/');
  });
});
