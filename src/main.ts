/**
 * Composition root of the `almanac` command: binds the CLI to this process (argv, stdio,
 * environment, exit code). Commands live in src/cli/, listed in src/cli/commands.ts.
 */
import { runCli } from './cli/dispatch.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Type the password, then Enter and Ctrl-D:\n');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A writer to `stream` that stops once its reader has gone (EPIPE: `almanac help | head -1`, a
 * log reader that died): what is left to print is dropped, and the command — the server too —
 * goes on as it would have, instead of ending on an unhandled 'error' event. Other errors are
 * raised as before.
 */
function lineWriter(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return (line) => {
    if (!closed) stream.write(`${line}\n`);
  };
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: lineWriter(process.stdout),
  err: lineWriter(process.stderr),
  readStdin,
});
process.exitCode = code;
// Exit even if a library left a handle open (a pool timer, a keep-alive socket), once output is out.
setTimeout(() => process.exit(code), 2000).unref();
