/** Shared by the RFC 6638 tests: a server with three users who have e-mail addresses (name@example.com). */
import { davFetch, startTestServer, type TestServer } from '../../helpers/server.js';

export type UserFetch = ReturnType<typeof davFetch>;

export interface SchedulingServer {
  readonly server: TestServer;
  readonly as: Record<'alice' | 'bob' | 'carol', UserFetch>;
}

export async function startSchedulingServer(): Promise<SchedulingServer> {
  const server = await startTestServer({ users: { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw' } });
  return {
    server,
    as: {
      alice: davFetch(server.url, 'alice'),
      bob: davFetch(server.url, 'bob'),
      carol: davFetch(server.url, 'carol'),
    },
  };
}

export const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };
