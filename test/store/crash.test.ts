/**
 * Durability under SIGKILL (SQLite): an object whose transaction committed survives a crash, and
 * the database it leaves behind is consistent — object rows, change rows and the collection's
 * sync sequence agree (DESIGN: one store, one change feed).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { CRASH_COLLECTION, crashBody, crashName } from './fixtures/crash-body.js';

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.js', import.meta.url));

/** Run the writer, SIGKILL it `killAfterMs` after it is ready; resolve with the names it printed. */
function runAndKill(file: string, synchronous: 'FULL' | 'NORMAL', killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, file, synchronous], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const failsafe = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (timer === undefined && out.startsWith('ready\n'))
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(failsafe);
      clearTimeout(timer);
      if (signal !== 'SIGKILL' || timer === undefined) {
        reject(new Error(`writer ended with code ${code}, signal ${signal} before it was killed:\n${err}`));
        return;
      }
      const lines = out.split('\n');
      lines.pop(); // an unterminated last line was not fully printed: the object may or may not exist
      if (lines.shift() !== 'ready') reject(new Error(`writer printed no ready line:\n${out}`));
      else resolve(lines);
    });
  });
}

describe('crash durability (SQLite)', () => {
  for (const synchronous of ['FULL', 'NORMAL'] as const) {
    it(`SIGKILL mid-write (synchronous=${synchronous}): every acknowledged object survives and the feed matches the objects`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'almanac-crash-'));
      const file = join(dir, 'almanac.sqlite');
      try {
        const printed = await runAndKill(file, synchronous, 300);
        assert.ok(printed.length > 0, 'the writer committed something before it was killed');
        printed.forEach((name, i) => assert.equal(name, crashName(i), 'acknowledged in order'));

        const store = openSqliteStore(file);
        try {
          const coll = await store.getResource(CRASH_COLLECTION);
          assert.ok(coll, 'the collection committed before `ready` survives');
          const present = await store.listChildren(coll.id);
          // At most one more than acknowledged: committed, killed before it was printed.
          assert.ok(
            present.length === printed.length || present.length === printed.length + 1,
            `${present.length} objects present, ${printed.length} acknowledged`,
          );
          for (const [i, r] of present.entries()) {
            assert.equal(r.path, `${CRASH_COLLECTION}/${crashName(i)}`);
            assert.equal(r.size, crashBody(i).byteLength);
            assert.equal(r.uid, `uid-${i}`);
            assert.deepEqual(Buffer.from(await store.readBody(r.id)), Buffer.from(crashBody(i)), `${r.path}: body`);
          }
          assert.equal(coll.syncSeq, present.length, 'the sync sequence equals the number of objects written');
          const feed = await store.changesSince(coll.id, 0, 1_000_000);
          assert.deepEqual(
            feed.map((c) => [c.seq, c.name, c.op]),
            present.map((_, i) => [i + 1, crashName(i), 'put']),
          );
        } finally {
          await store.close();
        }
        const db = new Database(file, { readonly: true });
        try {
          assert.deepEqual(db.prepare('PRAGMA integrity_check').all(), [{ integrity_check: 'ok' }]);
          assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), []);
        } finally {
          db.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
