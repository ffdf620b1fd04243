#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js), each in a process of its own.
// Usage: node test/run.js [--jobs N] [--serial] [--slowest K] [substring…]
//   substrings: only files whose path contains one of them.
//
// Files run two at a time by default (--jobs N, or ALMANAC_TEST_JOBS; --serial is --jobs 1): on a
// 2-core machine most test files wait on their own server, on SQLite's fsync or on a browser, so
// two lanes take about half the wall time of one. Two rules keep the results those of one file
// alone:
//   - at most one file that drives Chromium runs at a time (test/web/, the benchmark smoke run);
//   - a file whose source says `almanac-test: alone` (it asserts a time bound: a hostile input
//     refused within a second, the event loop kept free, …) runs after all the others, with
//     nothing beside it.
// Each file's report is printed whole when it ends, so lanes never interleave their lines.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    jobs: { type: 'string' },
    serial: { type: 'boolean', default: false },
    slowest: { type: 'string', default: '10' },
  },
});
const jobs = values.serial ? 1 : Math.max(1, Number(values.jobs ?? process.env.ALMANAC_TEST_JOBS ?? 2) || 1);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = [...walk('dist/src', []), ...walk('dist/test', [])]
  .filter((f) => positionals.length === 0 || positionals.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

/** Test files that start Chromium (test/web/, and the benchmark's browser phases). */
const usesBrowser = (f) => f.includes(`${join('dist', 'test', 'web')}/`) || f.includes('bench-smoke');
/** Files that assert a time bound say so in a comment (tsc keeps comments). */
const alone = (f) => readFileSync(f, 'utf8').includes('almanac-test: alone');

const lone = files.filter(alone);
// Browser files first: they are the longest, and a lane of their own beside the others balances best.
const queue = [
  ...files.filter((f) => !lone.includes(f) && usesBrowser(f)),
  ...files.filter((f) => !lone.includes(f) && !usesBrowser(f)),
];

const results = [];
let browserBusy = false;

/** Run one file; resolves with its result once its report is printed. */
function runFile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--test-reporter=spec', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code, signal) => {
      const seconds = (Date.now() - t0) / 1000;
      const text = Buffer.concat(chunks).toString('utf8');
      const count = (label) => Number(new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      const result = {
        file,
        seconds,
        ok: code === 0,
        tests: count('tests'),
        pass: count('pass'),
        fail: count('fail'),
        todo: count('todo'),
        skipped: count('skipped'),
        failures: failingTests(text),
      };
      process.stdout.write(
        `\n▶ ${file} (${seconds.toFixed(1)} s${result.ok ? '' : `, FAILED: exit ${code ?? signal}`})\n${text}`,
      );
      results.push(result);
      resolve(result);
    });
  });
}

/**
 * The spec reporter's closing "failing tests" section of one file's output (names, errors and
 * stacks), cut to its first lines: printed again just before the totals so that the tail of a long
 * run's log, which is often all a CI page keeps, still says which test failed and why.
 */
function failingTests(text, maxLines = 16) {
  const at = text.lastIndexOf('failing tests:');
  if (at < 0) return '';
  const lines = text.slice(at).split('\n');
  return [...lines.slice(0, maxLines), ...(lines.length > maxLines ? ['  …'] : [])].join('\n').trimEnd();
}

/** The next file this lane may take now, or undefined (none left, or only browser files while one runs). */
function take() {
  const i = queue.findIndex((f) => !(browserBusy && usesBrowser(f)));
  return i < 0 ? undefined : queue.splice(i, 1)[0];
}

async function lane() {
  for (;;) {
    const file = take();
    if (file === undefined) {
      if (queue.length === 0) return;
      await new Promise((r) => setTimeout(r, 200)); // only browser files left, and one is running
      continue;
    }
    const browser = usesBrowser(file);
    if (browser) browserBusy = true;
    await runFile(file);
    if (browser) browserBusy = false;
  }
}

const t0 = Date.now();
await Promise.all(Array.from({ length: Math.min(jobs, queue.length || 1) }, lane));
for (const f of lone) await runFile(f);

const sum = (k) => results.reduce((n, r) => n + r[k], 0);
const failed = results.filter((r) => !r.ok);
const wall = (Date.now() - t0) / 1000;
for (const r of failed) if (r.failures) console.log(`\n✖ ${r.file}: ${r.failures}`);
const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, Number(values.slowest) || 0);
console.log(
  `\n=== ${results.length} files, ${jobs} at a time (${lone.length} alone at the end): ${wall.toFixed(0)} s ===`,
);
if (slowest.length > 0) {
  console.log('slowest files:');
  for (const r of slowest) console.log(`  ${r.seconds.toFixed(1).padStart(6)} s  ${r.file}`);
}
console.log(
  `tests ${sum('tests')}, pass ${sum('pass')}, fail ${sum('fail')}, todo ${sum('todo')}, skipped ${sum('skipped')}`,
);
if (failed.length > 0) {
  console.log(`FAILED files (${failed.length}):`);
  for (const r of failed) console.log(`  ${r.file}`);
}
process.exit(failed.length > 0 ? 1 : 0);
