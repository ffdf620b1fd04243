import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompFilter } from './filter.js';
import { planQuery } from './planner.js';

const comp = (name: string, over: Partial<CompFilter> = {}): CompFilter => ({
  name,
  isNotDefined: false,
  timeRange: null,
  propFilters: [],
  compFilters: [],
  ...over,
});

describe('planQuery (RFC 4791 §7.8 prefilter)', () => {
  it('no component: the whole collection', () => {
    assert.deepEqual(planQuery(comp('VCALENDAR')), {});
  });
  it('a component and its time-range', () => {
    assert.deepEqual(
      planQuery(comp('VCALENDAR', { compFilters: [comp('VEVENT', { timeRange: { start: 10, end: 20 } })] })),
      { component: 'VEVENT', rangeStart: 10, rangeEnd: 20 },
    );
  });
  it('a nested VALARM range does not narrow the object range', () => {
    const f = comp('VCALENDAR', {
      compFilters: [comp('VTODO', { compFilters: [comp('VALARM', { timeRange: { start: 1, end: 2 } })] })],
    });
    assert.deepEqual(planQuery(f), { component: 'VTODO' });
  });
  it('two required component types cannot both be in one object; is-not-defined VCALENDAR matches nothing', () => {
    assert.equal(planQuery(comp('VCALENDAR', { compFilters: [comp('VEVENT'), comp('VTODO')] })), 'none');
    assert.equal(planQuery(comp('VCALENDAR', { isNotDefined: true })), 'none');
  });
  it('is-not-defined children and VTIMEZONE do not pick the component', () => {
    assert.deepEqual(
      planQuery(comp('VCALENDAR', { compFilters: [comp('VEVENT', { isNotDefined: true }), comp('VTIMEZONE')] })),
      {},
    );
  });
  it('two ranges on the same component: both must overlap the object span', () => {
    const f = comp('VCALENDAR', {
      compFilters: [
        comp('VEVENT', { timeRange: { start: 10, end: 20 } }),
        comp('VEVENT', { timeRange: { start: 50, end: null } }),
      ],
    });
    assert.deepEqual(planQuery(f), { component: 'VEVENT', rangeStart: 50, rangeEnd: 20 });
  });
});
