/**
 * web-month-render-1000: the browser app renders a busy month, 1,000 events (tens a day), in
 * Debian's Chromium. Each render is timed inside the page from the click on "next month" to the
 * frame after the grid is laid out and painted, with the main-thread CPU time it took (Chromium's
 * ThreadTime: what the render costs, apart from the time other processes on a shared machine take
 * from it). Between renders the view goes back to an empty month, so every measured render lays
 * out the whole busy month again (FullCalendar keeps no rendered grid).
 *
 * A client-side figure: it runs against an in-process test server of its own, apart from the data
 * set of the server phases. Without Chromium the phase is skipped.
 */
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { davFetch, startTestServer, type TestServer } from '../../test/helpers/server.js';
import { logIn, openBrowser, type Session } from '../../test/web/browser.js';
import { summarize } from '../client.js';
import type { PhaseResult } from './common.js';

export const WEB_MONTH_PHASE = 'web-month-render-1000';
const EVENTS = 1000;
const RUNS = 9;
const CHROMIUM = process.env.ALMANAC_CHROMIUM ?? '/usr/bin/chromium';

const pad = (n: number): string => String(n).padStart(2, '0');

/** 1,000 events in the month after this one, six PUTs at a time. */
async function seedMonth(server: TestServer): Promise<void> {
  const now = new Date();
  const next = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  const ym = `${next.getFullYear()}${pad(next.getMonth() + 1)}`;
  const put = davFetch(server.url);
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < EVENTS) {
      const n = i++;
      const at = `${ym}${pad(1 + (n % 28))}T${pad(8 + (n % 10))}`;
      const ics = [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Almanac bench//EN',
        'BEGIN:VEVENT',
        `UID:month-${n}`,
        'DTSTAMP:20260101T000000Z',
        `DTSTART:${at}0000Z`,
        `DTEND:${at}3000Z`,
        `SUMMARY:Busy ${n}`,
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
      const res = await put(`/dav/calendars/alice/default/month-${n}.ics`, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/calendar' },
        body: ics,
      });
      if (res.status !== 201) throw new Error(`PUT month-${n}: HTTP ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
}

/** Click a toolbar button; the wall time until the frame after the view shows (page code as a string: no DOM types here). */
async function timedClick(page: Page, button: string): Promise<{ ms: number; shown: number }> {
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    document.querySelector(${JSON.stringify(button)}).click();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { ms: performance.now() - t0, shown: document.querySelectorAll('.fc-daygrid-event').length };
  })()`);
}

async function waitForEvents(page: Page): Promise<void> {
  const held = `almanac.state.collections.reduce((n, c) => n + c.objects.size, 0)`;
  await page.waitForFunction(`${held} >= ${EVENTS}`, undefined, { timeout: 60_000 });
}

/** RUNS renders of the busy month after one unmeasured one: wall times, main-thread CPU times, and problems. */
async function renders(page: Page): Promise<{ wall: number[]; cpu: number[]; problems: string[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadTime = async (): Promise<number> =>
    (((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.find(
      (m) => m.name === 'ThreadTime',
    )?.value ?? NaN) * 1000;
  // The first layout of a view builds FullCalendar's caches: not measured.
  await timedClick(page, '.fc-next-button');
  await timedClick(page, '.fc-prev-button');
  const wall: number[] = [];
  const cpu: number[] = [];
  const problems: string[] = [];
  for (let r = 0; r < RUNS; r++) {
    const before = await threadTime();
    const { ms, shown } = await timedClick(page, '.fc-next-button');
    cpu.push((await threadTime()) - before);
    wall.push(ms);
    if (shown < 28) problems.push(`render ${r}: the busy month shows ${shown} events`);
    await timedClick(page, '.fc-prev-button');
    await page.waitForTimeout(50);
  }
  await cdp.detach();
  return { wall, cpu, problems };
}

export async function runWebMonthRender(log: (line: string) => void): Promise<PhaseResult> {
  if (!existsSync(CHROMIUM))
    return { phase: WEB_MONTH_PHASE, status: 'skipped', problems: [], note: `no Chromium at ${CHROMIUM}` };
  let server: TestServer | undefined;
  let session: Session | undefined;
  try {
    server = await startTestServer();
    await seedMonth(server);
    session = await openBrowser();
    await logIn(session.page, server.url, 'alice', 'alice-pw');
    await waitForEvents(session.page);
    const t0 = performance.now();
    const { wall, cpu, problems } = await renders(session.page);
    const stats = summarize(wall, 0, problems.length, (performance.now() - t0) / 1000, 0, false);
    const cpuMedian = [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)] ?? NaN;
    const note = `main-thread CPU per render: median ${cpuMedian.toFixed(0)} ms (${cpu.map((x) => x.toFixed(0)).join(', ')})`;
    log(
      `  ${WEB_MONTH_PHASE}: wall p50 ${stats.p50.toFixed(0)} ms (${wall.map((x) => x.toFixed(0)).join(', ')}); ${note}`,
    );
    return { phase: WEB_MONTH_PHASE, status: problems.length > 0 ? 'failed' : 'ok', stats, problems, note };
  } catch (err) {
    return { phase: WEB_MONTH_PHASE, status: 'failed', problems: [], note: String((err as Error).message ?? err) };
  } finally {
    await session?.close();
    await server?.close();
  }
}
