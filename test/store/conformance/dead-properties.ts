/** Store conformance cases: dead properties. Registered by index.ts; each case runs on a fresh store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byteOrder, HOME, Boom, store, home, tx, put } from './fixture.js';

export function deadPropertyCases(): void {
  describe('dead properties', () => {
    it('properties: set and remove round-trip unicode, namespaces and markup; listed by name in byte order', async () => {
      const { resource } = await put(`${HOME}/p.txt`);
      const props = [
        { name: '{DAV:}displayname', xml: '<D:displayname xmlns:D="DAV:">Füße 😀 &amp; &lt;tag&gt;</D:displayname>' },
        {
          name: '{http://apple.com/ns/ical/}calendar-color',
          xml: '<calendar-color xmlns="http://apple.com/ns/ical/">#FF0000FF</calendar-color>',
        },
        { name: '{urn:x}Zeta', xml: '<x:Zeta xmlns:x="urn:x"><x:inner a="1"/></x:Zeta>' },
        { name: '{urn:x}alpha', xml: '<alpha xmlns="urn:x"/>' },
        { name: '{urn:ü}ñ', xml: '<ñ xmlns="urn:ü">ü</ñ>' },
        { name: '{}no-namespace', xml: '<no-namespace xmlns="">v</no-namespace>' },
      ];
      await tx((t) => t.patchProperties(resource.id, props, []));
      const sorted = [...props].sort((a, b) => byteOrder(a.name, b.name));
      assert.deepEqual(await store.getProperties(resource.id), sorted);

      await tx((t) =>
        t.patchProperties(
          resource.id,
          [{ name: '{urn:x}alpha', xml: '<alpha xmlns="urn:x">replaced</alpha>' }],
          ['{DAV:}displayname', '{urn:x}not-there'],
        ),
      );
      const after = await store.getProperties(resource.id);
      assert.deepEqual(
        after.map((p) => p.name),
        sorted.map((p) => p.name).filter((n) => n !== '{DAV:}displayname'),
      );
      assert.equal(after.find((p) => p.name === '{urn:x}alpha')?.xml, '<alpha xmlns="urn:x">replaced</alpha>');
      assert.deepEqual(await store.getProperties(home.id), [], 'properties belong to one resource');
    });

    it('properties: a patch is atomic — a transaction that fails after patching leaves the old set', async () => {
      const { resource } = await put(`${HOME}/p.txt`);
      const original = [
        { name: '{urn:x}a', xml: '<a xmlns="urn:x">1</a>' },
        { name: '{urn:x}b', xml: '<b xmlns="urn:x">2</b>' },
      ];
      await tx((t) => t.patchProperties(resource.id, original, []));
      await assert.rejects(
        tx(async (t) => {
          await t.patchProperties(
            resource.id,
            [
              { name: '{urn:x}a', xml: '<a xmlns="urn:x">changed</a>' },
              { name: '{urn:x}c', xml: '<c xmlns="urn:x"/>' },
            ],
            ['{urn:x}b'],
          );
          assert.equal((await t.getProperties(resource.id)).length, 2, 'the transaction sees its own patch');
          throw new Boom('abort');
        }),
        Boom,
      );
      assert.deepEqual(await store.getProperties(resource.id), original);
    });
  });
}
