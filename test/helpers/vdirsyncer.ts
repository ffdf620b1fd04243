import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Debian's vdirsyncer. */
export const VDIRSYNCER = '/usr/bin/vdirsyncer';

/**
 * Run vdirsyncer with the `config` file in `dir`; its stdout and stderr together. Asynchronous,
 * because the server under test may answer from this same process while vdirsyncer runs; `input`
 * answers its prompts (`discover` asks before creating collections). The locale is set so its
 * output does not depend on the machine's.
 */
export function runVdirsyncer(dir: string, args: readonly string[], input = '', timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      VDIRSYNCER,
      ['-c', join(dir, 'config'), ...args],
      { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`vdirsyncer ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
    child.stdin?.end(input);
  });
}
