import { UserInputError } from '../domain/users.js';
import { StoreError } from '../store/store.js';

/** An error the CLI reports as one line `almanac: <message>` and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad command line: unknown command or flag, missing or malformed argument. Exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** Node system errors (ECONNREFUSED, EACCES, EADDRINUSE…): the environment, not a bug. */
function isSystemError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/**
 * PostgreSQL errors about reaching the database rather than our SQL: SQLSTATE classes 08
 * (connection), 28 (authorisation), 3D (no such database), 53 (resources), 57 (shut down).
 */
function isDatabaseUnreachable(err: Error): boolean {
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && /^(08|28|3D|53|57)/.test(code);
}

export interface Report {
  /** One line, without the `almanac: ` prefix. */
  readonly message: string;
  readonly exitCode: number;
  /** True for errors we expect (bad input, unreachable store): no stack trace for those. */
  readonly expected: boolean;
}

/** How the CLI reports `err`: expected errors as one line, anything else with its stack too. */
export function report(err: unknown): Report {
  if (err instanceof CliError) return { message: oneLine(err.message), exitCode: err.exitCode, expected: true };
  if (err instanceof Error) {
    const expected =
      err instanceof UserInputError || err instanceof StoreError || isSystemError(err) || isDatabaseUnreachable(err);
    return { message: errorMessage(err), exitCode: 1, expected };
  }
  return { message: errorMessage(err), exitCode: 1, expected: false };
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

/** A useful message even for errors that have none (e.g. AggregateError from a refused connect). */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return oneLine(String(err));
  if (err.message) return oneLine(err.message);
  const inner = (err as { errors?: unknown[] }).errors?.[0];
  if (inner !== undefined) return errorMessage(inner);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err.name;
}
