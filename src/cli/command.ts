/** A flag a command accepts. String options may also come from an environment variable. */
interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** ALMANAC_* variable used when the flag is absent (flag > env > default). */
  readonly env?: string;
  /** Placeholder for the value in help, e.g. `DIR`. */
  readonly value?: string;
  readonly description: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** A command's arguments after flag > environment resolution. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly help: boolean;
  /** A string option's value (flag, else non-empty env var), or undefined. */
  string(name: string): string | undefined;
  /** A boolean flag. */
  flag(name: string): boolean;
  /** Where `name`'s value came from, for messages: `--port` or `ALMANAC_PORT`. */
  source(name: string): string;
}

/** What a command may touch of the outside world (the process, in production). */
export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Write one line to stdout. */
  out(line: string): void;
  /** Write one line to stderr. */
  err(line: string): void;
  /** All of stdin as UTF-8. */
  readStdin(): Promise<string>;
}

/** One entry of the command table (src/cli/commands.ts). */
export interface Command {
  /** The words after `almanac`, e.g. `user add`. */
  readonly name: string;
  /** Positional placeholders, all required, e.g. `['NAME']`. */
  readonly args: readonly string[];
  readonly options: OptionTable;
  /** One line for the command list. */
  readonly summary: string;
  /** Longer text for `almanac help COMMAND`, optional. */
  readonly details?: string;
  /** Returns the exit code; throws CliError (or domain/store errors) for failures. */
  run(args: ParsedArgs, io: CommandIo): Promise<number>;
}
