import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { postgresUrl } from './database-url.js';

describe('postgresUrl: the change bus follows the configured database (store/database-url.ts)', () => {
  it('postgres:// and postgresql:// URLs are PostgreSQL (LISTEN/NOTIFY); sqlite:FILE and none are not', () => {
    assert.equal(postgresUrl('postgres://127.0.0.1/almanac'), 'postgres://127.0.0.1/almanac');
    assert.equal(postgresUrl('postgresql://u@h:5432/db'), 'postgresql://u@h:5432/db');
    assert.equal(postgresUrl('sqlite:/var/lib/almanac.sqlite'), undefined);
    assert.equal(postgresUrl(undefined), undefined);
    assert.equal(postgresUrl(''), undefined);
  });
});
