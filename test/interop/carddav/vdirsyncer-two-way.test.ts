/**
 * vdirsyncer (Debian's package) syncing a local .vcf directory with an Almanac address book
 * both ways until they converge: uploads, downloads, edits and deletes on either side (the steps
 * of vdirsyncer-contact-steps.ts, against one server).
 */
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { VDIRSYNCER } from '../../helpers/vdirsyncer.js';
import { vdirsyncerContactSteps } from './vdirsyncer-contact-steps.js';

describe(
  'interop: vdirsyncer two-way contact sync',
  { skip: existsSync(VDIRSYNCER) ? false : 'vdirsyncer is not installed' },
  () => {
    let server: TestServer;
    const scenario = vdirsyncerContactSteps(() => server.url);
    before(async () => {
      server = await startTestServer();
    });
    after(async () => {
      await server.close();
      scenario.close();
    });
    for (const step of scenario.steps) it(step.name, () => step.run());
  },
);
