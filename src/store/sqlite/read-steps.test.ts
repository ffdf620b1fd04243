import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ReadSteps } from './read-steps.js';

let dir: string;
let reader: Database.Database;
let writer: Database.Database;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'almanac-read-steps-'));
  const file = join(dir, 'db.sqlite');
  writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.exec('CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1)');
  reader = new Database(file);
});
after(() => {
  reader.close();
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

const value = (): number => (reader.prepare('SELECT v FROM t').get() as { v: number }).v;

describe('ReadSteps: the reads of one synchronous step in one read transaction (issue #20)', () => {
  it('the first read of a step begins a transaction that the step’s end commits', async () => {
    const steps = new ReadSteps(reader);
    steps.enter();
    assert.equal(value(), 1);
    steps.enter(); // a second read of the same step joins it
    assert.equal(reader.inTransaction, true);
    await Promise.resolve(); // a continuation runs after the step's end
    assert.equal(reader.inTransaction, false);
  });

  it('reads of one step share a snapshot; the next step sees what was committed meanwhile', async () => {
    const steps = new ReadSteps(reader);
    steps.enter();
    assert.equal(value(), 1);
    writer.exec('UPDATE t SET v = 2'); // another connection commits within the step
    steps.enter();
    assert.equal(value(), 1, 'the same snapshot within the step');
    await Promise.resolve();
    steps.enter();
    assert.equal(value(), 2, 'a new step, a new snapshot');
    await Promise.resolve();
  });

  it('end() (this process committed) ends the step’s transaction at once: a later read of the step sees the commit', () => {
    const steps = new ReadSteps(reader);
    steps.enter();
    assert.equal(value(), 2);
    writer.exec('UPDATE t SET v = 3');
    steps.end();
    assert.equal(reader.inTransaction, false);
    steps.enter();
    assert.equal(value(), 3);
    steps.end();
  });
});
