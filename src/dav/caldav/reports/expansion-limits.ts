import { ExpansionLimitError } from '../../../formats/ical/errors.js';
import { timeBudget } from '../../../domain/cooperative.js';
import { DavError } from '../../core/errors.js';
import type { ReportDef } from '../../core/registry.js';
import type { DavResponse } from '../../core/response.js';

/**
 * A recurrence or time-zone expansion that reached a bound of formats/ical/limits.ts fails the
 * one report that asked for it: 507 with DAV:number-of-matches-within-limits (the server's limit
 * on what one report computes, RFC 5323 §5.17 / RFC 6578 §3.2) and the reason, never a 500.
 */
function davErrorOfLimit(err: unknown): unknown {
  if (err instanceof ExpansionLimitError) {
    return DavError.condition('number-of-matches-within-limits', `${err.message} (RFC 4791 §9.6.5, server limit)`);
  }
  return err;
}

/**
 * Most wall time one calendaring report may spend in recurrence and time-zone computation, its
 * streamed answer included (domain/cooperative.ts `timeBudget`); past it the report is 507,
 * like any other expansion bound. A week expanded at 100,000 objects takes ~55 ms of CPU.
 */
export const REPORT_TIME_BUDGET_MS = 3_000;

/** A streamed body, with an expansion bound turned into its DAV error; each piece is made within `inBudget`. */
async function* boundedBody(body: AsyncIterable<string>, inBudget: <T>(fn: () => T) => T): AsyncGenerator<string> {
  const it = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await inBudget(() => it.next());
      if (next.done) return;
      yield next.value;
    }
  } catch (err) {
    throw davErrorOfLimit(err);
  } finally {
    await it.return?.();
  }
}

/**
 * A calendaring report whose run and streamed answer report expansion bounds as DAV errors, and
 * share one time budget (REPORT_TIME_BUDGET_MS).
 */
export function expansionBounded<Req>(report: ReportDef<Req>): ReportDef<Req> {
  return {
    ...report,
    async run(ctx, r, request): Promise<DavResponse> {
      const budget = timeBudget(REPORT_TIME_BUDGET_MS);
      let answer: DavResponse;
      try {
        answer = await budget(() => report.run(ctx, r, request));
      } catch (err) {
        throw davErrorOfLimit(err);
      }
      const body = answer.body;
      if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return answer;
      return { ...answer, body: boundedBody(body, budget) };
    },
  };
}
