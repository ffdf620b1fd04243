/**
 * What `almanac` loads before it runs a command (issue #20: a 5,000-event import in under 3 s,
 * of which Node's loading of our modules was ~0.45 s). The command table (src/cli/commands.ts)
 * imports every command, so whatever any command imports statically is loaded by all of them;
 * the HTTP server and the DAV engine are for `serve` alone, which imports them when it runs.
 * `calendar publish` once imported two helpers from the web app's API module and with them the
 * DAV engine: 372 modules for any command, 193 after.
 *
 * Read from the compiled files, so only what Node loads counts (type-only imports are gone,
 * dynamic `import()` is not followed).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const DIST_SRC = fileURLToPath(new URL('../../src/', import.meta.url)); // dist/test/cli/ → dist/src/

/** Static `import … from` / `export … from` / bare `import '…'` of a compiled ES module. */
const STATIC_IMPORT = /(?:^|\n)\s*(?:(?:import|export)\s[^;]*?\sfrom\s*|import\s*)['"](\.[^'"]+)['"]/g;

/** Every module of ours `entry` loads before its code runs, as paths relative to dist/src/. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [resolve(DIST_SRC, entry)];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) todo.push(resolve(dirname(file), m[1]!));
  }
  return new Set([...seen].map((f) => relative(DIST_SRC, f)));
}

test('the CLI loads neither the DAV engine nor the HTTP server before a command runs', () => {
  const loaded = staticClosure('main.js');
  assert.ok(loaded.has('cli/commands.js') && loaded.has('cli/calendar-io.js'), [...loaded].join('\n'));
  const server = [...loaded].filter((m) => m.startsWith('dav/') || m === 'http/server.js');
  assert.deepEqual(server, [], `loaded by every command:\n${server.join('\n')}`);
});

test('the reader of the graph follows what it should: the server module reaches the DAV engine', () => {
  const loaded = staticClosure('http/server.js');
  assert.ok(
    [...loaded].some((m) => m.startsWith('dav/')),
    [...loaded].join('\n'),
  );
});
