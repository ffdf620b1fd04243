/**
 * `npm run fuzz -- [--seconds N] [--seed S] [--cases N]`: the development fuzzer, the same engine
 * as the bounded test for longer. Failing inputs are kept in test-output/fuzz/ (the request body
 * as .bin, the request and reason as .json) to be added to regressions.ts once fixed.
 * `npm run fuzz -- --replay test-output/fuzz/NAME.json` sends one kept input again to a fresh
 * server and prints the status, time and the server's error lines.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FuzzRequest } from './cases.js';
import { runFuzz, send } from './engine.js';
import { AUTHORIZATION, HEALTH_PATH, startFuzzServer } from './server.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '300' },
    seed: { type: 'string' },
    cases: { type: 'string', default: '1000000' },
    'per-request-ms': { type: 'string', default: '5000' },
    replay: { type: 'string' },
  },
});
if (values.replay !== undefined) {
  const kept = JSON.parse(readFileSync(values.replay, 'utf8')) as { request: FuzzRequest };
  const request: FuzzRequest = { ...kept.request, body: readFileSync(values.replay.replace(/\.json$/, '.bin')) };
  const server = await startFuzzServer();
  try {
    const a = await send(server.url, AUTHORIZATION, request, 120_000);
    console.log(
      `${request.method} ${request.path}: ${a.error ?? `HTTP ${a.status}`} in ${Math.round(a.ms)} ms; server ${server.died() ?? 'alive'}`,
    );
    console.log(
      server.process
        .stderr()
        .split('\n')
        .filter((l) => /error|exception|at /i.test(l))
        .slice(-30)
        .join('\n'),
    );
  } finally {
    await server.close();
  }
  process.exit(0);
}
const seconds = Number(values.seconds);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isFinite(seconds) || seconds <= 0 || !Number.isInteger(seed)) {
  console.error('fuzz: --seconds must be a positive number and --seed an integer');
  process.exit(2);
}
const server = await startFuzzServer();
try {
  const result = await runFuzz({
    url: server.url,
    authorization: AUTHORIZATION,
    seed,
    durationMs: seconds * 1000,
    maxCases: Number(values.cases),
    perRequestMs: Number(values['per-request-ms']),
    healthPath: HEALTH_PATH,
    healthMs: 2_000,
    failureDir: 'test-output/fuzz',
  });
  console.log(JSON.stringify({ seed, ...result, died: server.died() }, null, 2));
  process.exitCode = result.failures.length > 0 || server.died() ? 1 : 0;
} finally {
  await server.close();
}
