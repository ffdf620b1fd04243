/**
 * Summarise a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): self time by function
 * and by file, and inclusive time of the functions named on the command line.
 * Usage: node dist/bench/profile-summary.js FILE.cpuprofile [top=30]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: profile-summary FILE.cpuprofile [top]\n');
  process.exit(2);
}
const top = Number(process.argv[3] ?? 30);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
let total = 0;
p.samples.forEach((id, i) => {
  const dt = p.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});

const short = (url: string): string => url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/');
const label = (n: Node): string =>
  `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

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
const pct = (t: number): string => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
const show = (title: string, m: Map<string, number>, n: number): void => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    process.stdout.write(`${pct(t)} ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
};
process.stdout.write(`total ${(total / 1e6).toFixed(1)} s sampled\n`);
show('self time by function', fnSelf, top);
show('self time by file', fileSelf, top);
show('inclusive time (our code)', new Map([...inclusive].filter(([k]) => k.includes('dist/src'))), top);
