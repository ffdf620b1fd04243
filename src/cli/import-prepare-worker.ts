/**
 * The worker thread of `almanac import` (issue #20): runs the pure part of preparing calendar
 * objects — the very function the write path runs, `preparedCalendarData` — for the batch after
 * the one the main thread is writing, so parse, validation and index (about 40 % of an
 * import's CPU) use the second core. Started by import-prepare-pool.ts.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { preparedCalendarData } from '../domain/calendar/object.js';
import type { PreparedInWorker, PrepareReply, PrepareRequest } from './import-prepare-messages.js';

async function prepare(req: PrepareRequest): Promise<PrepareReply> {
  const results: (PreparedInWorker | null)[] = [];
  for (const item of req.items) {
    try {
      const prepared = await preparedCalendarData(item.body, item.contentType, req.limits);
      results.push({ ...prepared, body: prepared.body === item.body ? null : prepared.body });
    } catch {
      // A refusal is not sent: the write path computes it again and throws it as it always
      // does, so an import reports exactly what a PUT of the object would.
      results.push(null);
    }
  }
  return { id: req.id, threadId, results };
}

const port = parentPort;
/** Batches one after the other, in the order sent: the next one written is answered first. */
let queue = Promise.resolve();
port?.on('message', (req: PrepareRequest) => {
  queue = queue
    .then(() => prepare(req))
    .then((reply) => port.postMessage(reply))
    // Nothing prepared (the main thread computes every object itself), never no answer.
    .catch(() => port.postMessage({ id: req.id, threadId, results: req.items.map(() => null) }));
});
