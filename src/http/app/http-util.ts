import type { IncomingMessage } from 'node:http';
import type { DavResponse } from '../../dav/core/context.js';
import { bodyReader } from '../body.js';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): DavResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(value),
  };
}

export function problem(status: number, message: string): DavResponse {
  return json(status, { error: message });
}

/** A small JSON request body; refuses anything that is not `application/json` (a CSRF guard too). */
export async function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpProblem(415, 'expected application/json');
  const raw = await bodyReader(req)(limit);
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpProblem(400, 'malformed JSON body');
  }
}

/** An error that already knows its response. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }

  response(): DavResponse {
    return problem(this.status, this.message);
  }
}

export function str(v: unknown, what: string, max = 2048): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new HttpProblem(400, `${what} is required`);
  return v;
}
