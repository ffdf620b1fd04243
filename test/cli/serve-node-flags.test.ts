/**
 * Issue #20 (peak RSS at 100,000 objects with --heap-growth's default, src/cli/ops-args.ts): the
 * node flags the server is measured with are the ones it is started with, everywhere we start it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SERVE_NODE_FLAGS } from '../../bench/serve-flags.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function read(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

describe('the server runs with the node flags the bench measures (bench/serve-flags.ts)', () => {
  const flags = SERVE_NODE_FLAGS.join(' ');

  it('npm start', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start ?? '';
    assert.match(start, new RegExp(`^node ${flags} dist/src/main\\.js serve$`));
  });

  it('the systemd unit', () => {
    assert.match(
      read('deploy/almanac.service'),
      new RegExp(`^ExecStart=/usr/bin/node ${flags} \\S+/bin/almanac\\.js serve`, 'm'),
    );
  });

  it('the container', () => {
    const entry = SERVE_NODE_FLAGS.map((f) => `"${f}", `).join('');
    assert.ok(read('deploy/Containerfile').includes(`ENTRYPOINT ["node", ${entry}"/opt/almanac/bin/almanac.js"]`));
  });
});
