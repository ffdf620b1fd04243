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

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin,
});
process.exitCode = code;
// Exit even if a library left a handle open (a pool timer, a keep-alive socket), once output is out.
setTimeout(() => process.exit(code), 2000).unref();
