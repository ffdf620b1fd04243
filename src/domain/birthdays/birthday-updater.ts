import type { Store } from '../../store/store.js';
import { regenerateBirthdays } from './birthday-calendar.js';

/**
 * Runs `regenerateBirthdays` after address books change: the server calls `addressBookChanged`
 * for every change notice of an address book that this node (or a command-line process) wrote,
 * after commit, and once per user at start (`sweep`, for writes made while it was down). Runs for one user are serialised and
 * notices that arrive meanwhile fold into one more run.
 */
export class BirthdayUpdater {
  private readonly pending = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private stopped = false;

  constructor(private readonly store: Store) {}

  /** A change notice for `/addressbooks/USER/…`. */
  addressBookChanged(userName: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const running = this.pending.get(userName);
    if (running) {
      this.again.add(userName);
      return running;
    }
    const run = (async () => {
      do {
        this.again.delete(userName);
        try {
          await regenerateBirthdays(this.store, userName);
        } catch (err) {
          if (!this.stopped) console.error(`birthday calendar of ${userName}:`, err);
        }
      } while (this.again.has(userName) && !this.stopped);
    })().finally(() => this.pending.delete(userName));
    this.pending.set(userName, run);
    return run;
  }

  /** Check every user once (at start). */
  async sweep(): Promise<void> {
    for (const u of await this.store.listUsers()) {
      if (this.stopped) return;
      await this.addressBookChanged(u.name);
    }
  }

  /** Resolves when every run in progress is done (tests await it). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending.values()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }
}
