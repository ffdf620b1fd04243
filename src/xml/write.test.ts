import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { el } from './element.js';
import { parseXml } from './parse.js';
import { escapeAttr, escapeText, serializeXml, StreamingXmlWriter } from './write.js';

const D = 'DAV:';
const C = 'urn:ietf:params:xml:ns:caldav';

describe('XML writer (Namespaces in XML 1.0 §3, §6)', () => {
  it('escapes only what must be escaped, and returns text without specials unchanged', () => {
    assert.equal(escapeText('BEGIN:VCALENDAR\r\nEND:VCALENDAR'), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR');
    assert.equal(escapeText('a & b < c > d'), 'a &amp; b &lt; c &gt; d');
    assert.equal(escapeAttr('x"y\tz'), 'x&#34;y&#9;z');
    assert.equal(escapeAttr('plain'), 'plain');
  });

  it('serializeXml declares every namespace on the root, fixed prefixes first come', () => {
    const xml = serializeXml(el(`{${D}}multistatus`, {}, el(`{urn:x}a`, { '{urn:y}b': '1' }, 'v')));
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<D:multistatus xmlns:D="DAV:" xmlns:x0="urn:x" xmlns:x1="urn:y">/,
    );
    const back = parseXml(xml);
    assert.equal(back.children.length, 1);
  });

  it('the streaming writer declares the fixed prefixes on the root and others where they are used', () => {
    const w = new StreamingXmlWriter(`{${D}}multistatus`);
    const parts = [
      w.open(),
      w.write(el(`{${D}}response`, {}, el(`{${C}}calendar-data`, {}, 'A & B'))),
      w.write(
        el(`{${D}}response`, {}, el(`{urn:x}a`, { '{urn:x}attr': 'q', plain: 'p' }, el(`{urn:x}b`), el(`{urn:y}c`))),
      ),
      w.write(el(`{${D}}response`, {}, el(`{urn:x}again`))),
      w.write({ raw: '<z:raw xmlns:z="urn:z">r</z:raw>' }),
      w.close(),
    ];
    const xml = parts.join('');
    assert.ok(
      !/xmlns:x\d+="urn:x"[^>]*>.*xmlns:x\d+="urn:x".*<\/x\d+:a>/.test(parts[2] ?? ''),
      'declared once per element subtree',
    );
    const root = parseXml(xml);
    const names: string[] = [];
    const walk = (n: typeof root): void => {
      names.push(n.name, ...Object.keys(n.attrs));
      for (const c of n.children) if (typeof c === 'object' && 'name' in c) walk(c);
    };
    walk(root);
    for (const expected of [
      `{${D}}multistatus`,
      `{${C}}calendar-data`,
      '{urn:x}a',
      '{urn:x}attr',
      '{}plain',
      '{urn:x}b',
      '{urn:y}c',
      '{urn:x}again',
      '{urn:z}raw',
    ]) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(' ')}`);
    }
  });
  it('each streamed member is written the same whatever came before it (generated prefixes restart per member)', () => {
    const member = el(`{${D}}response`, {}, el(`{urn:x}a`, {}, el(`{urn:y}b`)));
    const fresh = new StreamingXmlWriter(`{${D}}multistatus`).write(member);
    const w = new StreamingXmlWriter(`{${D}}multistatus`);
    w.write(el(`{${D}}response`, {}, el(`{urn:q}first`), el(`{urn:r}second`)));
    assert.equal(w.write(member), fresh);
    assert.match(fresh, /<x0:a xmlns:x0="urn:x"><x1:b xmlns:x1="urn:y"\/><\/x0:a>/);
  });
});
