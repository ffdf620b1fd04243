/**
 * Interop: tsdav (the TypeScript client the design guide cites) against one server — the steps
 * of tsdav-steps.ts: discovery through /.well-known/caldav, fetchCalendars, objects by time
 * range, and smart sync (webdav sync-collection and basic ctag/etag).
 */
import { after, before, describe, it } from 'node:test';
import { startCalServer, type CalServer } from '../../e2e/rfc4791/caldav-client.js';
import { tsdavSteps } from './tsdav-steps.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

describe('tsdav', () => {
  for (const step of tsdavSteps(() => s.server.url)) it(step.name, () => step.run());
});
