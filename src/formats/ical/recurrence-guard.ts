/**
 * Bounds on ical.js's recurrence iterator (RFC 5545 §3.3.10 rules, in events and in VTIMEZONE
 * observances alike).
 *
 * `RecurIterator.next()` loops "advance one FREQ unit, test the BYxxx rules" until a date passes;
 * for a rule no date can pass (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) that loop never ends, and a
 * VTIMEZONE with FREQ=SECONDLY yields an onset per second from its DTSTART. The loop tests the
 * rules once per step through `check_contracting_rules`, so counting those calls counts the
 * steps, whether or not they produce an instance. An iterator that exceeds a bound throws
 * ExpansionLimitError out of whatever asked (a PUT, a query, a time-zone conversion).
 */
import { ExpansionLimitError } from './errors.js';
import { MAX_RULE_MS, MAX_STEPS_PER_INSTANCE, MAX_STEPS_PER_RULE } from './limits.js';

interface IteratorLike {
  rule?: { toString(): string };
  next(again?: boolean): unknown;
  check_contracting_rules(): boolean;
}

interface Counters {
  steps: number;
  sinceInstance: number;
  /** When the current `next()` call began. */
  callStartedAt: number;
}

const counters = new WeakMap<object, Counters>();

function countersOf(it: object): Counters {
  let c = counters.get(it);
  if (!c) counters.set(it, (c = { steps: 0, sinceInstance: 0, callStartedAt: Date.now() }));
  return c;
}

function ruleText(it: IteratorLike): string {
  try {
    return String(it.rule?.toString() ?? '');
  } catch {
    return '';
  }
}

let installed = false;

/** Wrap `RecurIterator.prototype` with the step bounds (once per process). */
export function guardRecurIterator(RecurIterator: { prototype: IteratorLike }): void {
  if (installed) return;
  installed = true;
  const proto = RecurIterator.prototype;
  const check = proto.check_contracting_rules;
  const next = proto.next;
  proto.check_contracting_rules = function guardedCheck(this: IteratorLike): boolean {
    const c = countersOf(this);
    c.steps += 1;
    c.sinceInstance += 1;
    if (c.sinceInstance > MAX_STEPS_PER_INSTANCE) {
      throw new ExpansionLimitError(
        `RRULE ${ruleText(this)} produces no instance within ${MAX_STEPS_PER_INSTANCE} steps (a rule no date satisfies?)`,
      );
    }
    if (c.steps > MAX_STEPS_PER_RULE) {
      throw new ExpansionLimitError(`RRULE ${ruleText(this)} needs more than ${MAX_STEPS_PER_RULE} steps`);
    }
    if ((c.steps & 1023) === 0 && Date.now() - c.callStartedAt > MAX_RULE_MS) {
      throw new ExpansionLimitError(
        `RRULE ${ruleText(this)} takes more than ${MAX_RULE_MS} ms to find its next instance`,
      );
    }
    return check.call(this);
  };
  proto.next = function guardedNext(this: IteratorLike, again?: boolean): unknown {
    const c = countersOf(this);
    if (again !== true) c.callStartedAt = Date.now();
    const out = next.call(this, again);
    c.sinceInstance = 0;
    return out;
  };
}
