import type { Store } from '../../store/store.js';
import { regenerateBirthdays } from './birthday-calendar.js';

/**
 * After a run, how long notices fold into one more run. A lone card edit is applied at once;
 * a client uploading a whole address book costs one run per this interval instead of one per
 * card (issue #20: on PostgreSQL each run is a dozen round trips, more than the card's own write).
 */
const BIRTHDAY_COOL_DOWN_MS = 200;

/** What one run does for a user: `regenerateBirthdays` by default. */
type Regenerate = (store: Store, userName: string) => Promise<unknown>;

/**
 * Runs `regenerateBirthdays` after address books change: the server calls `addressBookChanged`
 * for every change notice of an address book that this node (or a command-line process) wrote,
 * after commit, and once per user at start (`sweep`, for writes made while it was down). Runs for
 * one user are serialised: the first notice starts a run at once; notices that arrive while it
 * runs, or within `coolDownMs` after it, fold into one more run at the end of that time.
 */
export class BirthdayUpdater {
  /** Users with a run in progress or cooling down; `next` is the run the latest notices wait for. */
  private readonly users = new Map<string, UserRuns>();
  /** Ends every cool-down in progress (stop). */
  private readonly wake = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly coolDownMs = BIRTHDAY_COOL_DOWN_MS,
    private readonly regenerate: Regenerate = regenerateBirthdays,
  ) {}

  /** A change notice for `/addressbooks/USER/…`; resolves when a run that began after it is done. */
  addressBookChanged(userName: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const known = this.users.get(userName);
    if (known) return (known.next ??= pass()).done;
    const first = pass();
    const state: UserRuns = { next: first, loop: Promise.resolve() };
    this.users.set(userName, state);
    state.loop = this.runs(userName, state);
    return first.done;
  }

  /** Runs for one user until a cool-down passes without a notice; then forgets the user (synchronously, so no notice falls between). */
  private async runs(userName: string, state: UserRuns): Promise<void> {
    while (state.next && !this.stopped) {
      const current = state.next;
      state.next = null;
      try {
        await this.regenerate(this.store, userName);
      } catch (err) {
        if (!this.stopped) console.error(`birthday calendar of ${userName}:`, err);
      }
      current.resolve();
      await this.coolDown();
    }
    state.next?.resolve(); // stopped: nothing more runs
    this.users.delete(userName);
  }

  private coolDown(): Promise<void> {
    if (this.stopped || this.coolDownMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.coolDownMs);
      this.wake.add(done);
    });
  }

  /** Check every user once (at start), one run at a time. */
  async sweep(): Promise<void> {
    for (const u of await this.store.listUsers()) {
      if (this.stopped) return;
      await this.addressBookChanged(u.name);
    }
  }

  /** Resolves when every run in progress, and its cool-down, is done (tests await it). */
  async idle(): Promise<void> {
    while (this.users.size > 0) await Promise.all([...this.users.values()].map((s) => s.loop));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const done of [...this.wake]) done();
    await this.idle();
  }
}

/** A run that notices wait for. */
interface Pass {
  readonly done: Promise<void>;
  readonly resolve: () => void;
}

interface UserRuns {
  next: Pass | null;
  loop: Promise<void>;
}

function pass(): Pass {
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return { done, resolve };
}
