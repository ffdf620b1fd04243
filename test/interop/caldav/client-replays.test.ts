/**
 * Recorded request sequences of real CalDAV clients (bodies and headers as each client sends
 * them), replayed against a fresh server: iOS/macOS, Thunderbird, DAVx5, Evolution, Outlook CalDav Synchronizer.
 */
import { after, before, describe, it } from 'node:test';
import { basic } from '../../helpers/server.js';
import { startCalServer, type CalServer } from '../../e2e/rfc4791/caldav-client.js';
import { APPLE } from './replays/apple.js';
import { DAVX5 } from './replays/davx5.js';
import { EVOLUTION } from './replays/evolution.js';
import { OUTLOOK_CALDAV_SYNCHRONIZER } from './replays/outlook-caldav-synchronizer.js';
import { replay } from './replays/replay.js';
import { THUNDERBIRD } from './replays/thunderbird.js';

let s: CalServer;
before(async () => {
  s = await startCalServer();
});
after(() => s.close());

describe('client replays', () => {
  for (const [name, steps] of Object.entries({
    'iOS/macOS Calendar': APPLE,
    Thunderbird: THUNDERBIRD,
    DAVx5: DAVX5,
    Evolution: EVOLUTION,
    'Outlook CalDav Synchronizer': OUTLOOK_CALDAV_SYNCHRONIZER,
  })) {
    it(`${name} session replays green`, () => replay(s.server.url, basic('alice', 'alice-pw'), steps));
  }
});
