/**
 * Golden SyncML messages (DESIGN.md convention 7), read by one loop per folder:
 * - `fixtures/parse/<case>.xml` — a message as a phone or SyncEvolution sends it — beside
 *   `<case>.json`, its typed parse (`decodeMessage`), or `{"error": "<ErrorClass>"}` when refused;
 *   `<case>.wbxml` (the same message encoded by libwbxml's xml2wbxml, not by us) beside
 *   `<case>.wbxml.json`. The two parses differ where a WBXML encoder does: Data as opaque bytes,
 *   DevInf as an embedded WBXML document typed application/vnd.syncml-devinf+wbxml.
 * - `fixtures/build/<case>.json` — a typed message the server sends — beside `<case>.xml` and
 *   `<case>.wbxml`, the exact bytes `encodeMessage` writes for it; the bytes decode back to the value.
 * Opaque bytes are `{"opaque": "<base64>"}` in the .json. `ALMANAC_FIXTURES_UPDATE=1 node test/run.js
 * golden-messages` writes every expected file that is missing or differs; review each before committing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { WbxmlError } from '../wbxml/codec.js';
import { DocumentLimitError } from '../wbxml/limits.js';
import { decodeMessage, encodeMessage } from './codec.js';
import type { Encoding, SyncmlMessage } from './model.js';
import { SyncmlParseError } from './parse.js';
import { SyncmlXmlError } from './xml.js';

const DIR = join(process.cwd(), 'src/formats/syncml/fixtures');
const update = process.env.ALMANAC_FIXTURES_UPDATE === '1';

/** The message as plain JSON: opaque bytes as base64. */
function plain(value: unknown): unknown {
  // The holder's own value: a Buffer has been through its toJSON by the time `v` arrives.
  function replacer(this: Record<string, unknown>, k: string, v: unknown): unknown {
    const raw = this[k];
    return raw instanceof Uint8Array ? { opaque: Buffer.from(raw).toString('base64') } : v;
  }
  return JSON.parse(JSON.stringify(value, replacer)) as unknown;
}

/** The typed value of a .json: `{"opaque"}` back to bytes. */
function revive(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (
      typeof v === 'object' &&
      v !== null &&
      Object.keys(v).length === 1 &&
      typeof (v as { opaque?: unknown }).opaque === 'string'
    ) {
      return new Uint8Array(Buffer.from((v as { opaque: string }).opaque, 'base64'));
    }
    return v;
  });
}

function decoded(bytes: Uint8Array, encoding: Encoding): unknown {
  try {
    return plain(decodeMessage(bytes, encoding));
  } catch (err) {
    if (
      err instanceof SyncmlXmlError ||
      err instanceof SyncmlParseError ||
      err instanceof WbxmlError ||
      err instanceof DocumentLimitError
    ) {
      return { error: err.name };
    }
    throw err;
  }
}

/** Compare with the expected file, or (update mode) write it when it differs. */
function golden(
  file: string,
  actual: Uint8Array,
  same: (expected: Uint8Array) => boolean,
  show: (b: Uint8Array) => string,
): void {
  const expected = existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
  if (update && (!expected || !same(expected))) writeFileSync(file, actual);
  else assert.equal(show(actual), expected ? show(expected) : undefined, file);
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const json = (v: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);

describe('golden SyncML messages: parse', () => {
  const dir = join(DIR, 'parse');
  for (const file of readdirSync(dir).filter((f) => /\.(xml|wbxml)$/.test(f))) {
    it(file, () => {
      const actual = decoded(readFileSync(join(dir, file)), file.endsWith('.wbxml') ? 'wbxml' : 'xml');
      const expected = join(dir, file.replace(/\.xml$/, '.json').replace(/\.wbxml$/, '.wbxml.json'));
      golden(
        expected,
        json(actual),
        (e) => isDeepStrictEqual(JSON.parse(text(e)), actual),
        (b) => JSON.stringify(JSON.parse(text(b))),
      );
    });
  }
});

describe('golden SyncML messages: build', () => {
  const dir = join(DIR, 'build');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const base = join(dir, file.replace(/\.json$/, ''));
    it(file.replace(/\.json$/, ''), () => {
      const message = revive(readFileSync(`${base}.json`, 'utf8')) as SyncmlMessage;
      for (const [encoding, show] of [
        ['xml', text],
        ['wbxml', hex],
      ] as const) {
        const bytes = encodeMessage(message, encoding);
        golden(`${base}.${encoding}`, bytes, (e) => hex(e) === hex(bytes), show);
        assert.deepEqual(
          plain(decodeMessage(bytes, encoding)),
          plain(message),
          `${encoding} decodes back to the value`,
        );
      }
    });
  }
});
