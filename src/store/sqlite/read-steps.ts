import type Database from 'better-sqlite3';

type Db = Database.Database;

/**
 * The reader's statements of one synchronous step share one read transaction (issue #20). In
 * WAL mode a statement outside a transaction is a read transaction of its own, which takes and
 * drops a read mark on the WAL's shared memory (two `fcntl` calls): a point lookup by path cost
 * 9–11 µs that way, 2.3–4.2 µs inside one transaction. A request starts several reads at once —
 * its user, grants and target (dav/request-prefetch.ts), a GET's body, collection and
 * Schedule-Tag — and each runs at once, synchronously: the first opens the transaction and the
 * end of the step (a microtask queued then, which runs before any continuation of theirs)
 * commits it. Statements that run back to back with nothing of this process in between see
 * one snapshot either way; a commit by this process ends the step's transaction first (`end`),
 * so a read after it sees it, as before.
 */
export class ReadSteps {
  private open = false;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;

  constructor(private readonly db: Db) {
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
  }

  /** Before a statement: the step's transaction, begun if it is not yet. */
  enter(): void {
    if (this.open) return;
    if (!this.db.inTransaction) this.begin.run();
    this.open = true;
    queueMicrotask(() => this.end());
  }

  /** The step's transaction ended (a read transaction: nothing to lose). */
  end(): void {
    if (!this.open) return;
    this.open = false;
    if (this.db.inTransaction) this.commit.run();
  }
}
