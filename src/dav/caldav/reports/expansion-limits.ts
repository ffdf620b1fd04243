import { ExpansionLimitError } from '../../../formats/ical/errors.js';
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

/** A streamed body, with an expansion bound turned into its DAV error. */
async function* boundedBody(body: AsyncIterable<string>): AsyncGenerator<string> {
  try {
    yield* body;
  } catch (err) {
    throw davErrorOfLimit(err);
  }
}

/** A calendaring report whose run and streamed answer report expansion bounds as DAV errors. */
export function expansionBounded<Req>(report: ReportDef<Req>): ReportDef<Req> {
  return {
    ...report,
    async run(ctx, r, request): Promise<DavResponse> {
      let answer: DavResponse;
      try {
        answer = await report.run(ctx, r, request);
      } catch (err) {
        throw davErrorOfLimit(err);
      }
      const body = answer.body;
      if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return answer;
      return { ...answer, body: boundedBody(body) };
    },
  };
}
