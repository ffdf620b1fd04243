/**
 * bench/ab.ts, the interleaved A/B of two builds (docs/PERFORMANCE.md), at a tiny size: this
 * checkout against itself, two rounds of three requests per phase, every answer checked as the
 * bench checks it. Its figures are not judged here (they are noise at this size), only that
 * each phase is measured for both builds.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const REPO = join(import.meta.dirname, '..', '..', '..');

describe('bench:ab (issue #20)', () => {
  it('measures each phase for both builds in alternating rounds', () => {
    const run = spawnSync(
      process.execPath,
      [
        join(REPO, 'dist', 'bench', 'ab.js'),
        ...['--against', REPO, '--phases', 'month,fn', '--rounds', '2', '--per', '3'],
        ...['--events', '60', '--contacts', '40'],
      ],
      { encoding: 'utf8', timeout: 180_000 },
    );
    assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
    for (const phase of ['calendar-query-month', 'addressbook-query-fn']) {
      const line = run.stdout.split('\n').find((l) => l.startsWith(phase));
      // Rounds this short take a tick of CPU or none: a median may be 0, which gets no ratio.
      assert.match(line ?? '', /median A \d+ {2}B \d+ {2}B\/A (\d+\.\d{3}|-)$/, run.stdout);
    }
    assert.match(run.stdout, /^ {2}A \d+ \d+$/m, run.stdout);
    assert.match(
      run.stdout,
      /^ {2}\(a round took \d+ ms of CPU: .* raise --per\)$/m,
      'the coarse figures are said to be',
    );
  });

  it('refuses a run it cannot make, with a one-line message', async () => {
    // Each case is a process of its own (it loads the bench), so they run side by side.
    const ab = (args: readonly string[]) =>
      new Promise<{ status: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, [join(REPO, 'dist', 'bench', 'ab.js'), ...args]);
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        child.on('close', (status) => done({ status, stderr }));
      });
    const cases = [
      [[], 'bench:ab: --against DIR (another built checkout) is required\n'],
      [
        ['--against', join(REPO, 'docs')],
        `bench:ab: ${join(REPO, 'docs')} is not a built checkout of Almanac (no dist/src/main.js: run npx tsc there)\n`,
      ],
      [
        ['--against', REPO, '--rounds', '0'],
        'bench:ab: --rounds, --per and --concurrency are whole numbers from 1 to 10,000\n',
      ],
      [['--against', REPO, '--phases', 'month,put'], /^bench:ab: unknown phase put \(propfind, month, .*\)\n$/],
      [['--against', REPO, '--speed', '2'], /^bench:ab: Unknown option '--speed'.*\n$/],
    ] as const;
    const runs = await Promise.all(cases.map(([args]) => ab(args)));
    cases.forEach(([args, message], i) => {
      const run = runs[i]!;
      assert.equal(run.status, 2, args.join(' '));
      if (typeof message === 'string') assert.equal(run.stderr, message);
      else assert.match(run.stderr, message);
      assert.equal(run.stderr.split('\n').length, 2, 'one line');
    });
  });
});
