/**
 * import-5000-ics: `almanac import USER CALENDAR FILE` of one .ics file holding 5,000 events of
 * the data set (issue #20: "a 5,000-event .ics import in < 3 s"), timed as a user sees it: the
 * whole command, process start to exit, into a fresh SQLite store (the user is made before the
 * clock starts). The file is what a calendar export looks like: one VCALENDAR, each VTIMEZONE
 * once, every VEVENT (masters and their overrides) after them. Each round must report every
 * object imported. A few rounds, sequential; the figure is the median.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generate, renderEvent } from '../generator.js';
import { summarize } from '../client.js';
import type { PhaseResult } from './common.js';

export const IMPORT_PHASE = 'import-5000-ics';
const ROUNDS = 3;
const run = promisify(execFile);
const CLI = resolve('bin/almanac.js');

/** One .ics export of `events` generated events: VTIMEZONEs once each and first, then every VEVENT. */
function exportFile(events: number): string {
  const zones = new Map<string, string[]>();
  const vevents: string[] = [];
  for (const e of generate(events, 0).events) {
    let block: string[] | null = null;
    for (const line of renderEvent(e).split('\r\n')) {
      if (block === null) {
        if (line === 'BEGIN:VTIMEZONE' || line === 'BEGIN:VEVENT') block = [line];
        continue;
      }
      block.push(line);
      if (line === 'END:VTIMEZONE') {
        const tzid = block.find((l) => l.startsWith('TZID:'))?.slice(5) ?? '';
        if (!zones.has(tzid)) zones.set(tzid, block);
        block = null;
      } else if (line === 'END:VEVENT' && block[0] === 'BEGIN:VEVENT') {
        vevents.push(...block);
        block = null;
      }
    }
  }
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Almanac//bench export//EN',
    ...[...zones.values()].flat(),
    ...vevents,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export async function runImport(events: number, log: (line: string) => void): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-bench-import-'));
  try {
    const file = join(dir, 'export.ics');
    writeFileSync(file, exportFile(events));
    const times: number[] = [];
    const problems: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const data = join(dir, `data-${round}`);
      await run(process.execPath, [CLI, 'user', 'add', 'alice', '--data', data], { timeout: 60_000 });
      const t0 = performance.now();
      const { stdout } = await run(process.execPath, [CLI, 'import', 'alice', 'default', file, '--data', data], {
        timeout: 120_000,
        maxBuffer: 16 << 20,
      });
      times.push(performance.now() - t0);
      const want = `Imported ${events} of ${events} objects into alice/default`;
      if (!stdout.includes(want))
        problems.push(`round ${round}: expected "${want}", got: ${stdout.trim().split('\n').pop() ?? ''}`);
    }
    const seconds = times.reduce((a, b) => a + b, 0) / 1000;
    const stats = summarize(times, 0, problems.length, seconds, 0, false);
    log(
      `  ${IMPORT_PHASE}: p50 ${stats.p50.toFixed(0)} ms over ${ROUNDS} imports of ${events} events${problems.length ? ` — ${problems[0]}` : ''}`,
    );
    return {
      phase: IMPORT_PHASE,
      status: problems.length === 0 ? 'ok' : 'failed',
      stats,
      problems,
      note: problems[0] ?? `${events} events, the whole command, into a fresh store`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
