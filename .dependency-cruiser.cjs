/**
 * Dependency direction of src/ (docs: /work/shared/DESIGN.md, "Dependency direction"):
 *
 *   xml, formats          → nothing of ours
 *   domain                → formats, store interface
 *   store implementations → store interface (sqlite and postgres also → store/sql)
 *   dav                   → xml, domain, formats, store interface
 *   syncml                → formats, domain
 *   push                  → domain, store interface
 *   mail                  → formats, domain (iMIP transport: SMTP out, IMAP/LMTP in)
 *   http                  → dav, syncml, push, mail, domain, store interface, xml
 *   cli, main.ts          → anything
 *   web/ (the browser app) → formats and the namespace table (src/xml/names.ts) only
 *
 * "Store interface" = src/store/store.ts, src/store/types.ts and src/store/paths.ts (pure path
 * helpers every layer may share). Store implementations = src/store/{sqlite,postgres,sql}/; only
 * src/main.ts, src/cli/ and src/store/open-store.ts pick one. dav and syncml never import each
 * other (their allow-lists leave each other out). Type-only imports count: a layer that needs
 * another's types depends on it all the same.
 *
 * Each layer is written as an allow-list: "from X, anything in src/ except …" is forbidden, so
 * a new folder is off limits until it is added here on purpose. Unit tests beside the code
 * (*.test.ts) may reach further to set up what they test, so the layer rules skip them.
 *
 * Run: npm run lint:deps (test/architecture/dependencies.test.ts runs it in `npm test`).
 */

const STORE_INTERFACE = 'src/store/(store|types|paths|database-url|capabilities/[a-z-]+)\\.ts$';
const TESTS = '\\.test\\.ts$';

/** A rule: files under `from` may import, in src/, only what matches one of `allowed`. */
function layer(name, from, allowed, comment) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from, pathNot: TESTS },
    to: { path: '^src/', pathNot: `^(${allowed.join('|')})` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules must not depend on themselves through a cycle (type-only cycles included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import of ours resolves to a file.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    layer('xml-imports-nothing-of-ours', '^src/xml/', ['src/xml/'], 'xml is a leaf: it imports nothing else of ours.'),
    layer('formats-imports-nothing-of-ours', '^src/formats/', ['src/formats/'], 'formats is pure (browser-usable): it imports nothing else of ours.'),
    layer(
      'domain-layering',
      '^src/domain/',
      ['src/domain/', 'src/formats/', 'src/xml/', STORE_INTERFACE],
      'domain → formats, the pure xml layer and the store interface only: no HTTP, no DAV, no SQL.',
    ),
    layer(
      'store-sqlite-postgres-layering',
      '^src/store/(sqlite|postgres)/',
      ['src/store/$1/', 'src/store/sql/', STORE_INTERFACE],
      'sqlite and postgres → their own folder, the shared sql/ code and the store interface only.',
    ),
    layer(
      'store-sql-layering',
      '^src/store/sql/',
      ['src/store/sql/', STORE_INTERFACE],
      'store/sql (shared by the SQL backends) → the store interface only.',
    ),
    layer(
      'store-interface-layering',
      STORE_INTERFACE,
      [STORE_INTERFACE],
      'The store interface depends on nothing but itself.',
    ),
    layer(
      'open-store-layering',
      '^src/store/open-store\\.ts$',
      ['src/store/'],
      'open-store picks an implementation; it reaches nothing outside src/store.',
    ),
    layer(
      'dav-layering',
      '^src/dav/',
      ['src/dav/', 'src/xml/', 'src/domain/', 'src/formats/', STORE_INTERFACE],
      'dav → xml, domain, formats and the store interface; never syncml, http or a store implementation.',
    ),
    layer(
      'syncml-layering',
      '^src/syncml/',
      ['src/syncml/', 'src/formats/', 'src/domain/'],
      'syncml → formats and domain; never dav.',
    ),
    layer(
      'mail-layering',
      '^src/mail/',
      ['src/mail/', 'src/formats/', 'src/domain/'],
      'mail (iMIP, RFC 6047) → formats and domain; the scheduling rules plug in through callbacks, composed by http/main.',
    ),
    layer('push-layering', '^src/push/', ['src/push/', 'src/domain/', STORE_INTERFACE], 'push → domain and the store interface (it observes the change feed after commit).'),
    layer(
      'http-layering',
      '^src/http/',
      ['src/http/', 'src/dav/', 'src/syncml/', 'src/push/', 'src/mail/', 'src/domain/', 'src/xml/', STORE_INTERFACE],
      'http → dav, syncml, push, mail, domain, xml and the store interface; never a store implementation.',
    ),
    {
      name: 'web-layering',
      comment: 'The browser app is a DAV client like any other: of the server it shares only the pure formats and the namespace table.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/(formats/|xml/names\\.ts$)' },
    },
    {
      name: 'store-implementation-chosen-in-one-place',
      comment: 'Only src/main.ts, src/cli/ and src/store/open-store.ts may import a store implementation.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: [TESTS, '^src/main\\.ts$', '^src/cli/', '^src/store/open-store\\.ts$', '^src/store/(sqlite|postgres|sql)/'],
      },
      to: { path: '^src/store/(sqlite|postgres|sql)/' },
    },
    {
      name: 'nothing-imports-the-cli',
      comment: 'src/main.ts and src/cli/ sit on top: nothing below imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: [TESTS, '^src/main\\.ts$', '^src/cli/'] },
      to: { path: '^src/(main\\.ts$|cli/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
