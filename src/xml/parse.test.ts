import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isElement, textOf } from './element.js';
import { XmlError } from './errors.js';
import { DEFAULT_XML_LIMITS } from './limits.js';
import { parseXml } from './parse.js';

const D = 'DAV:';
const limits = (o: Partial<typeof DEFAULT_XML_LIMITS>): typeof DEFAULT_XML_LIMITS => ({ ...DEFAULT_XML_LIMITS, ...o });

describe('XML parser (XML 1.0, Namespaces in XML 1.0)', () => {
  it('names elements and attributes in Clark notation, whatever the prefix (Namespaces §5)', () => {
    const a = parseXml(
      '<D:propfind xmlns:D="DAV:"><D:prop><x:a xmlns:x="urn:x" x:k="v" plain="p"/></D:prop></D:propfind>',
    );
    const b = parseXml(
      '<propfind xmlns="DAV:"><prop><a xmlns="urn:x" xmlns:y="urn:x" y:k="v" plain="p"/></prop></propfind>',
    );
    for (const root of [a, b]) {
      assert.equal(root.name, `{${D}}propfind`);
      const prop = root.children.find(isElement);
      assert.equal(prop?.name, `{${D}}prop`);
      const leaf = prop?.children.find(isElement);
      assert.equal(leaf?.name, '{urn:x}a');
      assert.deepEqual(leaf?.attrs, { '{urn:x}k': 'v', '{}plain': 'p' }, 'xmlns declarations are not attributes');
    }
  });

  it("an element in no namespace gets the empty namespace `{}`, not its parent's default", () => {
    const root = parseXml('<r xmlns="urn:r"><a xmlns=""/></r>');
    assert.equal(root.name, '{urn:r}r');
    assert.equal(root.children.find(isElement)?.name, '{}a');
  });

  it('joins text and CDATA into one text child and decodes the predefined entities (XML §4.6)', () => {
    const root = parseXml('<t>a &amp; b<![CDATA[ <c> ]]>&#x41;&lt;</t>');
    assert.deepEqual(root.children, ['a & b <c> A<']);
    assert.equal(textOf(root), 'a & b <c> A<');
  });

  it('accepts bytes in UTF-8 (with a BOM) and refuses bytes that are not UTF-8', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<t>é</t>')]);
    assert.equal(textOf(parseXml(bom)), 'é');
    assert.throws(() => parseXml(new Uint8Array([0x3c, 0x74, 0x3e, 0xff, 0x3c, 0x2f, 0x74, 0x3e])), XmlError);
  });

  it('refuses a DOCTYPE, so no entity is ever declared or expanded (billion laughs, XXE)', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><l>&b;</l>';
    assert.throws(() => parseXml(laughs), /DOCTYPE/);
    const xxe = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    assert.throws(() => parseXml(xxe), /DOCTYPE/);
  });

  it('refuses an undeclared entity and an undeclared prefix as malformed', () => {
    assert.throws(() => parseXml('<r>&nbsp;</r>'), XmlError);
    assert.throws(() => parseXml('<p:r/>'), XmlError);
  });

  it('holds the depth, element-count and size limits exactly at their bound', () => {
    const nested = (n: number): string => '<a>'.repeat(n) + '</a>'.repeat(n);
    assert.doesNotThrow(() => parseXml(nested(4), limits({ maxDepth: 4 })));
    assert.throws(() => parseXml(nested(5), limits({ maxDepth: 4 })), /deeper than 4/);
    const flat = (n: number): string => `<r>${'<i/>'.repeat(n - 1)}</r>`;
    assert.doesNotThrow(() => parseXml(flat(10), limits({ maxElements: 10 })));
    assert.throws(() => parseXml(flat(11), limits({ maxElements: 10 })), /more than 10 elements/);
    const doc = '<r>0123456789</r>';
    assert.doesNotThrow(() => parseXml(doc, limits({ maxBytes: doc.length })));
    assert.throws(() => parseXml(doc, limits({ maxBytes: doc.length - 1 })), /exceeds/);
    assert.throws(() => parseXml(new TextEncoder().encode(doc), limits({ maxBytes: doc.length - 1 })), /exceeds/);
  });

  it('refuses a body that is empty, unclosed or has two roots', () => {
    for (const bad of ['', '   ', '<r>', '<r></s>', '<a/><b/>'])
      assert.throws(() => parseXml(bad), XmlError, JSON.stringify(bad));
  });
});
