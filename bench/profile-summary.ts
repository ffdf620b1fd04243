/**
 * Summarise a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): self time by function
 * and by file, and inclusive time of our code.
 *
 *   node dist/bench/profile-summary.js FILE.cpuprofile [top=30]   the whole profile
 *   node dist/bench/profile-summary.js --phases DIR [top=8]        each bench phase on its own: the
 *     samples of the server's profile taken while the phase ran (windows-<pid>.json beside it,
 *     written by the bench: bench/profile-windows.ts), the busiest functions and our code's
 *     inclusive time — the per-phase flame summary of docs/PERFORMANCE.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhaseWindow } from './profile-windows.js';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const short = (url: string): string => url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
const label = (n: Node): string =>
  `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const IDLE = new Set(['(idle)', '(program)']);

// `… | head`: a reader that stops reading ends the summary quietly, not with an EPIPE trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

interface Summary {
  readonly total: number;
  readonly busy: number;
  readonly fnSelf: Map<string, number>;
  readonly fileSelf: Map<string, number>;
  readonly inclusive: Map<string, number>;
}

/** Self and inclusive times of the samples taken in [from, to] (microseconds; the whole profile by default). */
function summarise(p: Profile, from = -Infinity, to = Infinity): Summary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  let busy = 0;
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from || at > to) return;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
    if (!IDLE.has(byId.get(id)?.callFrame.functionName ?? '')) busy += dt;
  });
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    fnSelf.set(label(n), (fnSelf.get(label(n)) ?? 0) + t);
    const f = short(n.callFrame.url) || n.callFrame.functionName;
    fileSelf.set(f, (fileSelf.get(f) ?? 0) + t);
    // inclusive: count each distinct label once per stack
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + t);
    }
  }
  return { total, busy, fnSelf, fileSelf, inclusive };
}

const write = (s: string): boolean => process.stdout.write(s);

function show(title: string, m: Map<string, number>, n: number, of: number): void {
  write(`\n${title}\n`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    write(`${((100 * t) / of).toFixed(1).padStart(5)}% ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
}

const ours = (m: Map<string, number>): Map<string, number> => new Map([...m].filter(([k]) => k.includes('dist/src')));

function wholeProfile(file: string, top: number): void {
  const s = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  write(`total ${(s.total / 1e6).toFixed(1)} s sampled\n`);
  show('self time by function', s.fnSelf, top, s.total);
  show('self time by file', s.fileSelf, top, s.total);
  show('inclusive time (our code)', ours(s.inclusive), top, s.total);
}

/** Each phase of each profiled server in `dir`, shares of its busy (non-idle) time. */
function byPhase(dir: string, top: number): void {
  const files = readdirSync(dir);
  for (const w of files.filter((f) => /^windows-\d+\.json$/.test(f))) {
    const pid = /\d+/.exec(w)![0];
    const prof = files.find((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`));
    if (!prof) {
      write(`${w}: no profile of process ${pid} (it is written when the server exits)\n`);
      continue;
    }
    const p = JSON.parse(readFileSync(join(dir, prof), 'utf8')) as Profile;
    for (const { phase, from, to } of JSON.parse(readFileSync(join(dir, w), 'utf8')) as PhaseWindow[]) {
      const s = summarise(p, from, to);
      if (s.busy === 0) continue;
      write(
        `\n== ${phase} (process ${pid}): ${(s.busy / 1e6).toFixed(2)} s busy of ${(s.total / 1e6).toFixed(2)} s sampled\n`,
      );
      const busyFns = new Map([...s.fnSelf].filter(([k]) => !IDLE.has(k.split(' ')[0] ?? '')));
      show('self', busyFns, top, s.busy);
      show('inclusive (our code)', ours(s.inclusive), top, s.busy);
    }
  }
}

const [first, second, third] = process.argv.slice(2);
if (first === '--phases' && second) byPhase(second, Number(third ?? 8));
else if (first && first !== '--phases') wholeProfile(first, Number(second ?? 30));
else {
  process.stderr.write('usage: profile-summary FILE.cpuprofile [top] | profile-summary --phases DIR [top]\n');
  process.exit(2);
}
