/**
 * python-caldav's own functional suite (tests/test_caldav.py of 0.11.0, the version Debian ships;
 * see python-caldav-0.11.0/README.md) against a real Almanac: every test of its
 * RepeatedFunctionalTestsBaseClass runs, with 0 failures.
 *
 * Compatibility flags it runs with, and why:
 * - `no_scheduling`: RFC 6638 scheduling is not built yet (issue #16); its two checks are skipped.
 * - `text_search_is_exact_match_sometimes`: two assertions of testSearchEvent/testSearchTodos
 *   expect counts that no substring match gives ("Bastille Day Party" finding "Bastille Day Jitsi
 *   Party"; "MIL" not finding CATEGORIES:FAMILY — its own source calls the latter a bug). Almanac
 *   answers as RFC 4791 §9.7.5 says (substring, i;ascii-casemap); the flag accepts those answers,
 *   and test/e2e/rfc4791/9.7.5-text-match-substring.test.ts pins the exact counts.
 * The suite's local Radicale and Xandikos classes are turned off (they test those servers).
 * `backwards_compatibility_url` is given (user and password in the URL, the calendar home as the
 * base), so testBackwardCompatibility runs too.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCalServer, type CalServer } from '../../e2e/rfc4791/caldav-client.js';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SUITE = join(process.cwd(), 'test/interop/caldav/python-caldav-0.11.0/tests');
const FLAGS = ['no_scheduling', 'text_search_is_exact_match_sometimes'];

interface Outcome { readonly name: string; readonly result: 'passed' | 'failed' | 'skipped'; readonly message: string }

/** The test cases of a pytest JUnit XML report (attributes and the first failure/skip line). */
function outcomes(xml: string): Outcome[] {
  const out: Outcome[] = [];
  for (const m of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const attr = (k: string): string => new RegExp(`\\b${k}="([^"]*)"`).exec(m[1] ?? '')?.[1] ?? '';
    const body = m[2] ?? '';
    const failed = /<(failure|error)\b[^>]*?message="([^"]*)"/.exec(body) ?? (/<(failure|error)\b/.test(body) ? ['', '', 'failed'] : null);
    const skipped = /<skipped\b[^>]*?message="([^"]*)"/.exec(body);
    out.push({
      name: `${attr('classname').split('.').pop()}::${attr('name')}`,
      result: failed ? 'failed' : skipped ? 'skipped' : 'passed',
      message: failed ? String(failed[2]) : skipped ? String(skipped[1]) : '',
    });
  }
  return out;
}

let s: CalServer;
let dir: string;
before(async () => {
  s = await startCalServer();
  dir = mkdtempSync(join(tmpdir(), 'python-caldav-suite-'));
  cpSync(SUITE, join(dir, 'tests'), { recursive: true });
  writeFileSync(join(dir, 'tests', 'conf_private.py'), [
    'test_radicale = False', 'test_xandikos = False', 'test_public_test_servers = False',
    // backwards_compatibility_url: credentials in the URL, and a URL under which calendars are made (2013 style: the calendar home).
    `caldav_servers = [{'url': '${s.server.url}/dav/', 'username': 'alice', 'password': 'alice-pw', 'incompatibilities': ${JSON.stringify(FLAGS)},`,
    `  'backwards_compatibility_url': '${s.server.url.replace('http://', 'http://alice:alice-pw@')}/dav/calendars/alice/'}]`, '',
  ].join('\n'));
});
after(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('python-caldav 0.11.0 tests/test_caldav.py against Almanac', () => {
  it('its functional tests for a configured server pass (scheduling aside, issue #16)', async () => {
    const report = join(dir, 'report.xml');
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile(PYTHON, ['-m', 'pytest', '-q', '--no-header', '-p', 'no:cacheprovider', `--junitxml=${report}`, 'tests/test_caldav.py'],
        { cwd: dir, timeout: 300_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, out: `${stdout}\n${stderr}` }));
    });
    assert.ok(existsSync(report), `pytest wrote no report (exit ${run.code}):\n${run.out.slice(-3000)}`);
    const all = outcomes(readFileSync(report, 'utf8'));
    const ours = all.filter((o) => o.name.startsWith('TestForServer_'));
    const failed = all.filter((o) => o.result === 'failed');
    const skipped = ours.filter((o) => o.result === 'skipped');
    console.log(`# python-caldav suite: ${ours.filter((o) => o.result === 'passed').length} passed, ${failed.length} failed, `
      + `${skipped.length} skipped of ${ours.length} for Almanac; ${all.length - ours.length} cases of other classes (local Radicale/Xandikos, scheduling users) not configured`);
    for (const o of skipped) console.log(`#   skipped ${o.name}: ${o.message.slice(0, 160)}`);
    assert.deepEqual(failed.map((o) => `${o.name}: ${o.message.slice(0, 300)}`), [], run.out.slice(-4000));
    assert.ok(ours.length >= 30, `the suite ran its server tests (${ours.length})`);
    // Only what the flags above explain may be skipped.
    for (const o of skipped) assert.match(o.message, /RFC6833|scheduling/i, `${o.name} skipped: ${o.message}`);
    assert.equal(run.code, 0, run.out.slice(-2000));
  });
});
