/**
 * Golden fixtures (DESIGN.md convention 7): every DAV request body we parse, as a client sends it,
 * beside its expected typed parse. A fixture folder is named after what it holds (a report's local
 * name, a method, or `filter`); each `<case>.xml` there has a `<case>.json` holding the typed parse,
 * or `{"error": "<precondition>"}` (`{"error": <status>}` without one) when the request is refused.
 * One loop reads every folder. `ALMANAC_FIXTURES_UPDATE=1 node test/run.js golden-requests` writes
 * the .json of every case whose answer differs or is missing; review each before committing it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, it } from 'node:test';
import { ICAL } from '../formats/ical/ical.js';
import { Caches } from '../domain/caches.js';
import { firstChild } from '../xml/element.js';
import { DEFAULT_XML_LIMITS } from '../xml/limits.js';
import { caldav } from '../xml/names.js';
import { parseMkcalendar } from './caldav/methods/mkcalendar.js';
import { parseSharingPost } from './sharing/share-request.js';
import { parseFilter } from './caldav/reports/filter-xml.js';
import type { DavContext } from './core/context.js';
import { DavError } from './core/errors.js';
import { parsePropertyUpdate } from './core/property-update.js';
import { parseXmlBody } from './core/request.js';
import { createRegistry } from './index.js';
import { parseExtendedMkcol } from './webdav/methods/mkcol.js';
import { parsePropfind } from './webdav/methods/propfind.js';

const registry = createRegistry();
const ctx = {
  registry,
  headers: {},
  settings: { xml: DEFAULT_XML_LIMITS, caches: Caches.none() },
} as unknown as DavContext;

/** The body as the REPORT method reads it (webdav/methods/report.ts): parsed, then the report its root names. */
function parseReport(raw: Buffer): unknown {
  const body = parseXmlBody(ctx, raw);
  if (!body) throw DavError.badRequest('REPORT needs a body');
  const def = registry.reports.get(body.name);
  if (!def) throw DavError.condition('supported-report', `report ${body.name} is not supported`);
  return def.parse(body, ctx);
}

const PARSERS: Readonly<Record<string, (raw: Buffer) => unknown>> = {
  filter: (raw) => {
    const body = parseXmlBody(ctx, raw);
    return parseFilter(body ? firstChild(body, caldav('filter')) : undefined);
  },
  'calendar-query': parseReport,
  'calendar-multiget': parseReport,
  'free-busy-query': parseReport,
  'expand-property': parseReport,
  'principal-property-search': parseReport,
  'principal-match': parseReport,
  'acl-principal-prop-set': parseReport,
  'calendarserver-principal-search': parseReport,
  'addressbook-query': parseReport,
  'addressbook-multiget': parseReport,
  'sync-collection': parseReport,
  propfind: (raw) => parsePropfind(parseXmlBody(ctx, raw)),
  proppatch: (raw) => parsePropertyUpdate(parseXmlBody(ctx, raw)),
  mkcol: (raw) => parseExtendedMkcol(raw, ctx),
  mkcalendar: (raw) => parseMkcalendar(parseXmlBody(ctx, raw)),
  'sharing-post': (raw) => parseSharingPost(parseXmlBody(ctx, raw)),
};

const ROOTS = [
  'src/dav/caldav/reports/fixtures',
  'src/dav/acl/reports/fixtures',
  'src/dav/carddav/reports/fixtures',
  'src/dav/sync/reports/fixtures',
  'src/dav/webdav/methods/fixtures',
  'src/dav/caldav/methods/fixtures',
  'src/dav/sharing/fixtures',
].map((d) => join(process.cwd(), d));

/** The parse as plain JSON: a time zone by its TZID, undefined fields dropped. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (v instanceof ICAL.Timezone ? { tzid: v.tzid } : v)),
  ) as unknown;
}

/** What a fixture's .json holds for this body: the parse, or the refusal. */
function outcome(parse: (raw: Buffer) => unknown, raw: Buffer): unknown {
  try {
    return plain(parse(raw));
  } catch (err) {
    if (err instanceof DavError) return { error: err.condition ?? err.status };
    throw err;
  }
}

const update = process.env.ALMANAC_FIXTURES_UPDATE === '1';

for (const root of ROOTS) {
  for (const folder of readdirSync(root)) {
    describe(`golden requests: ${folder}`, () => {
      const parse = PARSERS[folder];
      it('has a parser', () => assert.ok(parse, `no parser for fixture folder ${join(root, folder)}`));
      if (!parse) return;
      const dir = join(root, folder);
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
        it(file.replace(/\.xml$/, ''), () => {
          const jsonFile = join(dir, file.replace(/\.xml$/, '.json'));
          const actual = outcome(parse, readFileSync(join(dir, file)));
          const expected = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as unknown) : undefined;
          if (update && !isDeepStrictEqual(actual, expected))
            writeFileSync(jsonFile, `${JSON.stringify(actual, null, 2)}\n`);
          else assert.deepEqual(actual, expected);
        });
      }
    });
  }
}
