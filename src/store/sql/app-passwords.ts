import type { AppPassword, AppPasswordScope } from '../types.js';
import type { SqlConn } from './driver.js';

interface AppPasswordRow {
  id: string;
  user_id: number | string;
  name: string;
  scopes: string;
  secret_hash: string;
  created_at: number | string;
  last_used_at: number | string | null;
}

const toAppPassword = (r: AppPasswordRow): AppPassword => ({
  id: r.id,
  userId: Number(r.user_id),
  name: r.name,
  scopes: r.scopes.split(' ').filter((s): s is AppPasswordScope => s === 'dav' || s === 'syncml'),
  secretHash: r.secret_hash,
  createdAt: Number(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
});

/** The app_passwords queries (migration 15), shared by both dialects. */
export const APP_PASSWORDS = {
  async get(db: SqlConn, id: string): Promise<AppPassword | null> {
    const r = await db.get<AppPasswordRow>('SELECT * FROM app_passwords WHERE id = ?', [id]);
    return r ? toAppPassword(r) : null;
  },

  async list(db: SqlConn, userId: number): Promise<AppPassword[]> {
    const rows = await db.all<AppPasswordRow>('SELECT * FROM app_passwords WHERE user_id = ? ORDER BY created_at, id', [
      userId,
    ]);
    return rows.map(toAppPassword);
  },

  async create(
    db: SqlConn,
    p: { id: string; userId: number; name: string; scopes: readonly AppPasswordScope[]; secretHash: string },
  ): Promise<AppPassword> {
    const r = await db.get<AppPasswordRow>(
      `INSERT INTO app_passwords (id, user_id, name, scopes, secret_hash, created_at, last_used_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL) RETURNING *`,
      [p.id, p.userId, p.name, p.scopes.join(' '), p.secretHash, Date.now()],
    );
    if (!r) throw new Error('insert returned no row');
    return toAppPassword(r);
  },

  async delete(db: SqlConn, userId: number, id: string): Promise<boolean> {
    return (await db.run('DELETE FROM app_passwords WHERE id = ? AND user_id = ?', [id, userId])) > 0;
  },

  async touch(db: SqlConn, id: string, at: number, notBefore: number): Promise<void> {
    await db.run(
      'UPDATE app_passwords SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
      [at, id, notBefore],
    );
  },

  async forgetUser(db: SqlConn, userId: number): Promise<void> {
    await db.run('DELETE FROM app_passwords WHERE user_id = ?', [userId]);
  },
};
