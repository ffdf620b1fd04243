// The dependency direction of src/ and web/ (DESIGN.md), checked by dependency-cruiser with .dependency-cruiser.cjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // dist/test/architecture/ → project root
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

function depcruise(cwd: string): { status: number | null; output: string } {
  const r = spawnSync(
    DEPCRUISE,
    ['src', ...(existsSync(join(cwd, 'web')) ? ['web'] : []), '--config', CONFIG, '--output-type', 'err'],
    {
      cwd,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, // CI=true would otherwise colour the output
    },
  );
  // The ESC of ANSI colour sequences is the control character this strips on purpose.
  // eslint-disable-next-line no-control-regex
  return { status: r.status, output: `${r.stdout}${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '') };
}

test('src/ and web/ follow the dependency direction (npm run lint:deps)', () => {
  const r = depcruise(ROOT);
  assert.equal(r.status, 0, `dependency violations:\n${r.output}`);
});

test('the rules bite: forbidden imports, a cycle and a broken import in a scratch tree are reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-deps-'));
  try {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
      }),
      'src/domain/principal.ts': "import { route } from '../http/route.js';\nexport const p = route;\n",
      'src/http/route.ts': 'export const route = 1;\n',
      'src/dav/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/dav/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      'src/dav/uses-sqlite.ts': "import { open } from '../store/sqlite/index.js';\nexport const s = open;\n",
      'src/store/sqlite/index.ts': 'export const open = 1;\n',
      'src/xml/typo.ts': "export { nothing } from './no-such-file.js';\n",
      'web/src/uses-store.ts': "import { open } from '../../src/store/sqlite/index.js';\nexport const w = open;\n",
      'web/src/uses-formats.ts': "import { f } from '../../src/formats/vcard/parse.js';\nexport const w = f;\n",
      'src/formats/vcard/parse.ts': 'export const f = 1;\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = depcruise(dir);
    assert.notEqual(r.status, 0, r.output);
    assert.match(r.output, /domain-layering.*src\/domain\/principal\.ts → src\/http\/route\.ts/);
    assert.match(r.output, /no-circular/);
    assert.match(r.output, /store-implementation-chosen-in-one-place.*src\/dav\/uses-sqlite\.ts/);
    assert.match(r.output, /dav-layering.*src\/dav\/uses-sqlite\.ts/);
    assert.match(r.output, /no-unresolvable.*src\/xml\/typo\.ts/);
    assert.match(r.output, /web-layering.*web\/src\/uses-store\.ts → src\/store\/sqlite\/index\.ts/);
    assert.doesNotMatch(r.output, /uses-formats/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
