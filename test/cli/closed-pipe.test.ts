/**
 * A command whose reader goes away (`almanac help | head -1`, a log reader that died): writing to
 * the closed pipe fails with EPIPE, which used to end the process with an unhandled 'error'
 * event and a stack trace. Now what is left to print is dropped and the command ends as it would
 * have (src/main.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CLI = join(import.meta.dirname, '..', '..', '..', 'bin', 'almanac.js');

describe('the almanac command and a closed stdout', () => {
  it('help into a pipe closed at once: exit 0, no stack trace', async () => {
    const child = spawn(process.execPath, [CLI, 'help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the command writes
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.doesNotMatch(stderr, /Unhandled 'error' event|EPIPE/, stderr);
    assert.equal(code, 0, stderr);
  });
});
