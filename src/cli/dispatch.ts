import { parseCommandArgs } from './args.js';
import type { Command, CommandIo } from './command.js';
import { COMMANDS } from './commands.js';
import { report, UsageError } from './errors.js';
import { commandHelp, generalHelp, version } from './help.js';

/** The command named by the longest prefix of `words`, and the words after it. */
function lookup(words: readonly string[]): { command: Command; rest: readonly string[] } | null {
  let best: { command: Command; rest: readonly string[] } | null = null;
  for (const command of COMMANDS) {
    const name = command.name.split(' ');
    if (name.every((w, i) => words[i] === w) && (!best || name.length > best.command.name.split(' ').length)) {
      best = { command, rest: words.slice(name.length) };
    }
  }
  return best;
}

function isGroup(word: string): boolean {
  return COMMANDS.some((c) => c.name.startsWith(`${word} `));
}

function subcommands(group: string): string {
  return COMMANDS.filter((c) => c.name.startsWith(`${group} `))
    .map((c) => c.name.slice(group.length + 1))
    .join(', ');
}

const HELP = new Set(['--help', '-h']);

async function dispatch(argv: readonly string[], io: CommandIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('missing command (see: almanac --help)');
  if (HELP.has(first) || first === 'help') {
    const topic = first === 'help' ? rest : [];
    if (topic.length === 0) generalHelp(COMMANDS).forEach((l) => io.out(l));
    else if (topic.length === 1 && isGroup(topic[0] ?? '')) generalHelp(COMMANDS, topic[0]).forEach((l) => io.out(l));
    else {
      const found = lookup(topic);
      if (!found || found.rest.length > 0) throw new UsageError(`no help for unknown command '${topic.join(' ')}'`);
      commandHelp(found.command).forEach((l) => io.out(l));
    }
    return 0;
  }
  if (first === '--version' || first === '-V') {
    io.out(`almanac ${version()}`);
    return 0;
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (see: almanac --help)`);

  const found = lookup(argv);
  if (!found) {
    if (isGroup(first)) {
      const next = rest[0];
      if (next !== undefined && HELP.has(next)) {
        generalHelp(COMMANDS, first).forEach((l) => io.out(l));
        return 0;
      }
      const what = next === undefined ? 'missing subcommand' : `unknown subcommand '${next}'`;
      throw new UsageError(`${first}: ${what} (one of: ${subcommands(first)})`);
    }
    throw new UsageError(`unknown command '${first}' (see: almanac --help)`);
  }
  const args = parseCommandArgs(found.command, found.rest, io.env);
  if (args.help) {
    commandHelp(found.command).forEach((l) => io.out(l));
    return 0;
  }
  return found.command.run(args, io);
}

/**
 * Run one `almanac` invocation and return its exit code. Expected failures print one line
 * `almanac: <message>` on stderr; only unexpected ones (bugs) add their stack trace.
 */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    const r = report(err);
    io.err(`almanac: ${r.message}`);
    if (!r.expected && err instanceof Error && err.stack) io.err(err.stack);
    return r.exitCode;
  }
}
