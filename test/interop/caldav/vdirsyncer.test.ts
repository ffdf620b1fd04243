/**
 * Interop: vdirsyncer 0.19 two-way sync of a few hundred events between a local vdir and the
 * calendar (discover, sync, edits and deletes on both sides, sync again) converges.
 */
import { after, before, describe, it } from 'node:test';
import { startCalServer, type CalServer } from '../../e2e/rfc4791/caldav-client.js';
import { vdirsyncerCalendarStep } from './vdirsyncer-calendar-step.js';

let s: CalServer;
const step = vdirsyncerCalendarStep(() => s.server.url);
before(async () => {
  s = await startCalServer();
});
after(async () => {
  await s.close();
  step.close();
});

describe('vdirsyncer two-way sync', () => {
  it('converges over a few hundred events', () => step.run());
});
