import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caldav, carddav, dav } from '../../xml/names.js';
import { createRegistry } from '../index.js';

describe('Registry (dav/core/registry.ts)', () => {
  it('each server gets its own: registering in one registry leaves another untouched', () => {
    const a = createRegistry();
    const b = createRegistry();
    assert.notEqual(a, b);
    assert.deepEqual([...a.methods.keys()], [...b.methods.keys()]);
    a.method({
      name: 'BREW',
      privilege: 'read',
      allowedOn: () => true,
      handle: () => Promise.resolve({ status: 204, headers: {} }),
    });
    assert.ok(a.methods.has('BREW'));
    assert.ok(!b.methods.has('BREW'));
    assert.ok(!createRegistry().methods.has('BREW'));
  });

  it('a collection type is one definition: resource type, object type and collection GET together', () => {
    const r = createRegistry();
    for (const [name, element] of [
      ['calendar', caldav('calendar')],
      ['addressbook', carddav('addressbook')],
    ] as const) {
      const def = r.collectionTypeOf(name);
      assert.ok(def, name);
      assert.deepEqual(def.resourceType, [element]);
      // What a PUT may store is the domain write path's rule (domain/objects); the type answers GETs.
      assert.ok(def.objects?.represent, `${name} negotiates how its members are answered`);
      assert.ok(def.exportCollection, `${name} answers GET of the collection`);
      assert.equal(r.objectTypeOf(name), def.objects);
    }
    assert.equal(r.collectionTypeOf(''), undefined);
    assert.equal(r.objectTypeOf(''), undefined);
  });

  it('RFC 5689 §3: DAV:resourcetype names a registered type exactly, or none', () => {
    const r = createRegistry();
    assert.equal(r.collectionTypeFor([dav('collection')]), '');
    assert.equal(r.collectionTypeFor([dav('collection'), caldav('calendar')]), 'calendar');
    assert.equal(r.collectionTypeFor([carddav('addressbook'), dav('collection')]), 'addressbook');
    assert.equal(r.collectionTypeFor([dav('collection'), caldav('calendar'), carddav('addressbook')]), null);
    assert.equal(r.collectionTypeFor([dav('collection'), '{urn:x}unknown']), null);
  });

  it('a collection type registered twice is refused', () => {
    const r = createRegistry();
    assert.throws(() => r.collectionType({ name: 'calendar', resourceType: [caldav('calendar')] }), /twice/);
  });
});
