/**
 * A backup as `almanac backup` writes it: a directory holding the store's copy
 * (`almanac.sqlite`), the server key when it lives in the data directory (`secret.key`: without
 * it the credentials for other servers kept in the store cannot be read), and `backup.json`, the
 * manifest naming each file with its SHA-256, the schema version and when it was taken.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors.js';

export const STORE_FILE = 'almanac.sqlite';
export const KEY_FILE = 'secret.key';
const MANIFEST_FILE = 'backup.json';
const FORMAT = 'almanac-backup/1';

export interface Manifest {
  readonly format: typeof FORMAT;
  /** ISO 8601 time the copy was taken. */
  readonly takenAt: string;
  readonly schemaVersion: number;
  /** File name → hex SHA-256. */
  readonly files: Readonly<Record<string, string>>;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function writeManifest(dir: string, schemaVersion: number, files: readonly string[]): Manifest {
  const manifest: Manifest = {
    format: FORMAT,
    takenAt: new Date().toISOString(),
    schemaVersion,
    files: Object.fromEntries(files.map((f) => [f, sha256(join(dir, f))])),
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

function isManifest(v: unknown): v is Manifest {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  const files = m.files;
  return (
    m.format === FORMAT &&
    typeof m.takenAt === 'string' &&
    typeof m.schemaVersion === 'number' &&
    typeof files === 'object' &&
    files !== null &&
    Object.entries(files).every(([k, h]) => /^[a-z.]+$/.test(k) && typeof h === 'string')
  );
}

/** The backup's manifest, with every file it names checked against its SHA-256. */
export function readBackup(dir: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (err) {
    throw new CliError(`${dir} is not an Almanac backup (${MANIFEST_FILE}: ${(err as Error).message})`);
  }
  if (!isManifest(raw)) throw new CliError(`${join(dir, MANIFEST_FILE)}: not a manifest of ${FORMAT}`);
  if (!(STORE_FILE in raw.files)) throw new CliError(`${dir}: the backup holds no ${STORE_FILE}`);
  for (const [file, hash] of Object.entries(raw.files)) {
    let actual: string;
    try {
      actual = sha256(join(dir, file));
    } catch (err) {
      throw new CliError(`${dir}: ${file} is missing (${(err as Error).message})`);
    }
    if (actual !== hash) throw new CliError(`${dir}: ${file} does not match its SHA-256 in ${MANIFEST_FILE}`);
  }
  return raw;
}
