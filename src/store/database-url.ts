/**
 * The PostgreSQL URL a `--database` value names, or undefined (SQLite). The composition roots
 * choose the change bus by this configuration (LISTEN/NOTIFY on PostgreSQL), never by asking
 * an open store what it is.
 */
export function postgresUrl(database: string | undefined): string | undefined {
  return database && /^postgres(ql)?:\/\//.test(database) ? database : undefined;
}
