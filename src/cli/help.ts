import { readFileSync } from 'node:fs';
import type { Command } from './command.js';
import { columns } from './table.js';

/** The package version, read from package.json beside dist/ (dist/src/cli/help.js → ../../../). */
export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function synopsis(command: Command): string {
  const args = command.args.join(' ');
  return `almanac ${command.name}${args ? ` ${args}` : ''}${Object.keys(command.options).length ? ' [options]' : ''}`;
}

/** `almanac --help`, or the commands of one group (`almanac user --help`). */
export function generalHelp(commands: readonly Command[], group?: string): string[] {
  const shown = group === undefined ? commands : commands.filter((c) => c.name.startsWith(`${group} `));
  return [
    group === undefined ? 'Almanac: WebDAV, CalDAV and CardDAV groupware server' : `almanac ${group}: subcommands`,
    '',
    'Usage:',
    ...columns(shown.map((c) => [`  ${synopsis(c)}`, c.summary])),
    ...(group === undefined ? ['  almanac help [COMMAND]', '  almanac --version'] : []),
    '',
    'Run `almanac COMMAND --help` for its options.',
  ];
}

/** `almanac COMMAND --help`. */
export function commandHelp(command: Command): string[] {
  const options = Object.entries(command.options).map(([name, spec]) => [
    `  --${name}${spec.value ? ` ${spec.value}` : ''}`,
    spec.env ?? '',
    spec.description,
  ]);
  options.push(['  -h, --help', '', 'show this help']);
  return [
    `Usage: ${synopsis(command)}`,
    '',
    `${command.summary[0]?.toUpperCase() ?? ''}${command.summary.slice(1)}.`,
    ...(command.details ? ['', command.details] : []),
    '',
    'Options (flag, environment variable, meaning):',
    ...columns(options),
  ];
}
