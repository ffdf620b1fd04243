import type { IcalComponent, IcalTimezone } from '../../formats/ical/ical.js';
import { instancesOf, recurrenceSets, type Instance, type RecurrenceSet } from '../../formats/ical/instances.js';

/**
 * One walk of a recurrence set shared by all its components. The evaluator asks, component by
 * component, for the instances each accounts for; a master and its THISANDFUTURE overrides all
 * draw from the same expansion of the set, which used to be walked again for every one of them
 * (quadratic: 200 such overrides and a 100-year range took 99 s). Instances drawn for one
 * component are kept for the others until they ask.
 */
class SharedWalk {
  private readonly source: Iterator<Instance>;
  private readonly kept = new Map<IcalComponent, Instance[]>();
  private done = false;

  constructor(set: RecurrenceSet, floating: IcalTimezone | null, until: number | null, from: number | null) {
    this.source = instancesOf(set, { floating, until, from });
  }

  private keptFor(c: IcalComponent): Instance[] {
    let list = this.kept.get(c);
    if (!list) this.kept.set(c, (list = []));
    return list;
  }

  /** The instances of `c`, with `null` after every instance kept for another component (a pause). */
  *instancesOf(c: IcalComponent): Generator<Instance | null> {
    const mine = this.keptFor(c);
    for (let i = 0; ;) {
      if (i < mine.length) {
        yield mine[i++] as Instance;
        continue;
      }
      if (this.done) return;
      const next = this.source.next();
      if (next.done) {
        this.done = true;
        return;
      }
      this.keptFor(next.value.component).push(next.value);
      if (next.value.component !== c) yield null;
    }
  }
}

/** What one evaluation of a filter against one object reuses: recurrence sets and their walks. */
export class ExpansionScope {
  private readonly sets = new Map<IcalComponent, Map<string, RecurrenceSet[]>>();
  private readonly walks = new Map<RecurrenceSet, Map<string, SharedWalk>>();

  constructor(private readonly floating: IcalTimezone | null) {}

  /** The recurrence sets of `parent`'s components named `name`, grouped once. */
  setsOf(parent: IcalComponent, name: string): RecurrenceSet[] {
    let byName = this.sets.get(parent);
    if (!byName) this.sets.set(parent, (byName = new Map()));
    let sets = byName.get(name);
    if (!sets) byName.set(name, (sets = recurrenceSets(parent, name)));
    return sets;
  }

  /**
   * The instances of `set` that `c` accounts for, up to `until` (and, where `from` is given, not
   * those of the rule that end before it), from one walk of the set; a `null` now and then stands
   * for an instance walked for another component (a place to pause).
   */
  instancesOf(
    set: RecurrenceSet,
    c: IcalComponent,
    until: number | null,
    from: number | null = null,
  ): Generator<Instance | null> {
    let byRange = this.walks.get(set);
    if (!byRange) this.walks.set(set, (byRange = new Map()));
    const key = `${from}|${until}`;
    let walk = byRange.get(key);
    if (!walk) byRange.set(key, (walk = new SharedWalk(set, this.floating, until, from)));
    return walk.instancesOf(c);
  }
}
