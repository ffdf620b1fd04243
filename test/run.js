#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with node's test runner.
// Usage: node test/run.js [--serial] [substring…] — only files whose path contains one of the substrings.
//
// The files run in two lanes at once, each one file at a time: the tests that drive Chromium
// (a browser is mostly waiting on its own renderer) and everything else. That halves the wall
// time on a 2-core machine without running two browsers, or two timing-sensitive server tests,
// side by side. The browser lane's report is printed when it ends; the other streams as it runs.
// `--serial` runs every file in one lane, as before.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const serial = args.includes('--serial');
const filters = args.filter((a) => a !== '--serial');
const files = [...walk('dist/src', []), ...walk('dist/test', [])]
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

/** Test files that start Chromium (test/web/, and the benchmark's browser phases). */
const usesBrowser = (f) => f.includes(`${join('dist', 'test', 'web')}/`) || f.includes('bench-smoke');

/** Run one lane; its report goes to stdout, or to `file` to be printed later. Resolves with the exit code. */
function lane(laneFiles, file) {
  return new Promise((resolve) => {
    const reporter = file ? ['--test-reporter=spec', `--test-reporter-destination=${file}`] : ['--test-reporter=spec'];
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...reporter, ...laneFiles], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const browser = serial ? [] : files.filter(usesBrowser);
const others = files.filter((f) => !browser.includes(f));
const t0 = Date.now();
if (browser.length === 0 || others.length === 0) {
  process.exit(await lane(files));
}
const dir = mkdtempSync(join(tmpdir(), 'almanac-tests-'));
const browserReport = join(dir, 'browser.txt');
const [otherCode, browserCode] = await Promise.all([lane(others), lane(browser, browserReport)]);
process.stdout.write(`\n=== browser lane (${browser.length} files, run alongside the above) ===\n`);
try {
  process.stdout.write(readFileSync(browserReport, 'utf8'));
} catch {
  process.stdout.write('(no report: the lane did not start)\n');
}
rmSync(dir, { recursive: true, force: true });
const seconds = ((Date.now() - t0) / 1000).toFixed(0);
console.log(
  `\nlanes: others (${others.length} files) ${otherCode === 0 ? 'passed' : 'FAILED'}, ` +
    `browser (${browser.length} files) ${browserCode === 0 ? 'passed' : 'FAILED'}; ${seconds} s in all`,
);
process.exit(otherCode !== 0 ? otherCode : browserCode);
