/**
 * Interop with the real SyncML client SyncEvolution 2.0 (Synthesis engine), on the recipe of
 * ../shared/interop/syncml/ (README: phases 1–9, slow/two-way/refresh syncs, conflicts, wrong
 * password). Each required mode runs against its own Almanac, with --server-edit-cmd changing
 * data through CardDAV/CalDAV so server-side edits travel DAV → phone (phase 4).
 * Slow (~90 s per mode; the four modes run concurrently). Needs the Debian packages listed in
 * ../shared/interop/syncml/README.md; the scripts are called in place, beside the clone.
 */
import { describe, it } from 'node:test';
import { startTestServer } from '../../helpers/server.js';
import {
  assertEveryCheckPassed,
  runSyncEvolutionClient,
  syncEvolutionClientMissing as missing,
  type ClientRun,
} from './syncevolution-client-run.js';

const MODES: readonly { name: string; args: readonly string[] }[] = [
  { name: 'XML', args: [] },
  { name: 'WBXML (digest §13)', args: ['--wbxml'] },
  { name: 'legacy vCard 2.1 / vCalendar 1.0 (digest §14)', args: ['--legacy'] },
  {
    name: 'MaxMsgSize 5000: multi-message packages and large objects (digest §9–10)',
    args: ['--max-msg-size', '5000'],
  },
];

describe('interop (slow, ~2 min): SyncEvolution client against /syncml, OMA DS 1.2', { skip: missing }, () => {
  const results = MODES.map(async (mode) => {
    const server = await startTestServer({ users: { test: 'test' } });
    try {
      return await runSyncEvolutionClient(server.url, 'test', 'test', mode.args);
    } finally {
      await server.close();
    }
  });
  MODES.forEach((mode, i) => {
    it(`SyncEvolution ${mode.name}: every check passes`, { timeout: 1_000_000 }, async () => {
      assertEveryCheckPassed(await (results[i] as Promise<ClientRun>), 100);
    });
  });
});
