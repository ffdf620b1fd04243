/**
 * CATEGORIES groups (RFC 6350 §6.7.1) made here that no contact is in yet. Such a group exists
 * only in the app until a card names it, so the names are kept in localStorage per user: a
 * reload, or the next visit, still lists the new group.
 */
export class EmptyGroups implements Iterable<string> {
  private readonly names: Set<string>;
  private readonly key: string;

  constructor(user: string) {
    this.key = `almanac.emptyGroups.${user}`;
    let stored: unknown = [];
    try {
      stored = JSON.parse(localStorage.getItem(this.key) ?? '[]');
    } catch {
      // unreadable: start empty
    }
    this.names = new Set(Array.isArray(stored) ? stored.filter((n): n is string => typeof n === 'string') : []);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.names[Symbol.iterator]();
  }

  add(name: string): void {
    this.names.add(name);
    this.save();
  }

  delete(name: string): boolean {
    const had = this.names.delete(name);
    if (had) this.save();
    return had;
  }

  private save(): void {
    localStorage.setItem(this.key, JSON.stringify([...this.names]));
  }
}
