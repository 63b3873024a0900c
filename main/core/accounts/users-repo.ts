// The users, sessions, access keys and recovery codes tables, as functions over a connection.
import type { Role } from '../../../common/schemas/accounts';
import type { Db } from '../store/database';

export interface UserRow {
  username: string;
  role: Role;
  kind: 'account' | 'desktop';
  password_hash: string | null;
  must_change_password: 0 | 1;
  totp_enabled: 0 | 1;
  totp_last_counter: number;
  disabled: 0 | 1;
  created_at: number;
  created_by: string | null;
  password_changed_at: number | null;
  last_login_at: number | null;
  last_login_address: string | null;
}

export interface SessionRow {
  id: string;
  token_hash: string;
  username: string;
  role: Role;
  method: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  address: string | null;
  user_agent: string | null;
  access_key_id: string | null;
}

export interface AccessKeyRow {
  id: string;
  key_hash: string;
  username: string;
  name: string;
  role: Role;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
}

export function getUser(db: Db, username: string): UserRow | undefined {
  return db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
}

export function listAccounts(db: Db): UserRow[] {
  return db.prepare("SELECT * FROM users WHERE kind = 'account' ORDER BY username").all() as UserRow[];
}

export function countAccounts(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM users WHERE kind = 'account'").get() as { n: number }).n;
}

/** Admins who can still sign in: the ones that must never all go. */
export function countActiveAdmins(db: Db): number {
  return (
    db
      .prepare("SELECT count(*) AS n FROM users WHERE kind = 'account' AND role = 'admin' AND disabled = 0")
      .get() as { n: number }
  ).n;
}

export function insertUser(
  db: Db,
  user: Pick<UserRow, 'username' | 'role' | 'kind' | 'password_hash' | 'created_at' | 'created_by'> &
    Partial<Pick<UserRow, 'must_change_password' | 'totp_enabled' | 'totp_last_counter'>>,
): void {
  db.prepare(
    `INSERT INTO users (username, role, kind, password_hash, must_change_password, totp_enabled,
       totp_last_counter, created_at, created_by, password_changed_at)
     VALUES (@username, @role, @kind, @password_hash, @must_change_password, @totp_enabled,
       @totp_last_counter, @created_at, @created_by, @created_at)`,
  ).run({
    must_change_password: 0,
    totp_enabled: 0,
    totp_last_counter: -1,
    ...user,
  });
}

type UserChange = Partial<
  Pick<
    UserRow,
    | 'role'
    | 'password_hash'
    | 'must_change_password'
    | 'totp_enabled'
    | 'totp_last_counter'
    | 'disabled'
    | 'password_changed_at'
    | 'last_login_at'
    | 'last_login_address'
  >
>;
const USER_COLUMNS = new Set([
  'role',
  'password_hash',
  'must_change_password',
  'totp_enabled',
  'totp_last_counter',
  'disabled',
  'password_changed_at',
  'last_login_at',
  'last_login_address',
]);

export function updateUser(db: Db, username: string, change: UserChange): void {
  const keys = Object.keys(change).filter((k) => USER_COLUMNS.has(k));
  if (keys.length === 0) return;
  db.prepare(`UPDATE users SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE username = @username`).run(
    {
      ...change,
      username,
    },
  );
}

/**
 * Moves the TOTP replay mark forward, only if it is still behind: two requests racing with the same
 * code cannot both win.
 */
export function claimTotpCounter(db: Db, username: string, counter: number): boolean {
  return (
    db
      .prepare('UPDATE users SET totp_last_counter = ? WHERE username = ? AND totp_last_counter < ?')
      .run(counter, username, counter).changes === 1
  );
}

export function deleteUser(db: Db, username: string): boolean {
  return db.prepare('DELETE FROM users WHERE username = ?').run(username).changes === 1;
}

// ---- sessions ----

export function insertSession(db: Db, row: SessionRow): void {
  db.prepare(
    `INSERT INTO sessions (id, token_hash, username, role, method, created_at, last_seen_at, expires_at, address, user_agent, access_key_id)
     VALUES (@id, @token_hash, @username, @role, @method, @created_at, @last_seen_at, @expires_at, @address, @user_agent, @access_key_id)`,
  ).run(row);
}

export function sessionByTokenHash(db: Db, tokenHash: string): SessionRow | undefined {
  return db.prepare('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as SessionRow | undefined;
}

export function sessionById(db: Db, id: string): SessionRow | undefined {
  return db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
}

export function sessionsOf(db: Db, username: string): SessionRow[] {
  return db
    .prepare('SELECT * FROM sessions WHERE username = ? ORDER BY last_seen_at DESC')
    .all(username) as SessionRow[];
}

export function touchSession(db: Db, id: string, at: number): void {
  db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?').run(at, id, at);
}

export function deleteSession(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes === 1;
}

/** Every session of a user, or all but one; returns the ids that ended. */
export function deleteSessionsOf(db: Db, username: string, except?: string): string[] {
  const rows = db
    .prepare('SELECT id FROM sessions WHERE username = ? AND id IS NOT ?')
    .all(username, except ?? null) as { id: string }[];
  db.prepare('DELETE FROM sessions WHERE username = ? AND id IS NOT ?').run(username, except ?? null);
  return rows.map((r) => r.id);
}

/** Sessions past their absolute end or idle too long; returns their ids. */
export function deleteExpiredSessions(db: Db, now: number, idleMs: number): string[] {
  const rows = db
    .prepare('SELECT id FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?')
    .all(now, now - idleMs) as { id: string }[];
  if (rows.length) {
    db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?').run(now, now - idleMs);
  }
  return rows.map((r) => r.id);
}

export function countSessionsOf(db: Db, username: string): number {
  return (db.prepare('SELECT count(*) AS n FROM sessions WHERE username = ?').get(username) as { n: number })
    .n;
}

// ---- access keys ----

export function insertAccessKey(db: Db, row: AccessKeyRow): void {
  db.prepare(
    `INSERT INTO access_keys (id, key_hash, username, name, role, created_at, expires_at, last_used_at)
     VALUES (@id, @key_hash, @username, @name, @role, @created_at, @expires_at, @last_used_at)`,
  ).run(row);
}

export function accessKeyByHash(db: Db, keyHash: string): AccessKeyRow | undefined {
  return db.prepare('SELECT * FROM access_keys WHERE key_hash = ?').get(keyHash) as AccessKeyRow | undefined;
}

export function accessKeyById(db: Db, id: string): AccessKeyRow | undefined {
  return db.prepare('SELECT * FROM access_keys WHERE id = ?').get(id) as AccessKeyRow | undefined;
}

export function accessKeysOf(db: Db, username: string): AccessKeyRow[] {
  return db
    .prepare('SELECT * FROM access_keys WHERE username = ? ORDER BY created_at DESC')
    .all(username) as AccessKeyRow[];
}

export function touchAccessKey(db: Db, id: string, at: number): void {
  db.prepare('UPDATE access_keys SET last_used_at = ? WHERE id = ?').run(at, id);
}

export function deleteAccessKey(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM access_keys WHERE id = ?').run(id).changes === 1;
}

/** The sessions a key's #token= link opened; returns their ids. */
export function deleteSessionsOfKey(db: Db, keyId: string): string[] {
  const rows = db.prepare('SELECT id FROM sessions WHERE access_key_id = ?').all(keyId) as { id: string }[];
  db.prepare('DELETE FROM sessions WHERE access_key_id = ?').run(keyId);
  return rows.map((r) => r.id);
}

export function deleteAccessKeysOf(db: Db, username: string): string[] {
  const rows = db.prepare('SELECT id FROM access_keys WHERE username = ?').all(username) as { id: string }[];
  db.prepare('DELETE FROM access_keys WHERE username = ?').run(username);
  return rows.map((r) => r.id);
}

// ---- recovery codes ----

export function replaceRecoveryCodes(db: Db, username: string, hashes: readonly string[]): void {
  db.prepare('DELETE FROM recovery_codes WHERE username = ?').run(username);
  const insert = db.prepare('INSERT INTO recovery_codes (username, code_hash) VALUES (?, ?)');
  for (const hash of hashes) insert.run(username, hash);
}

/** Marks a code used if it exists and is unused: true when it was accepted. */
export function useRecoveryCode(db: Db, username: string, hash: string, at: number): boolean {
  return (
    db
      .prepare(
        'UPDATE recovery_codes SET used_at = ? WHERE username = ? AND code_hash = ? AND used_at IS NULL',
      )
      .run(at, username, hash).changes === 1
  );
}

export function recoveryCodesLeft(db: Db, username: string): number {
  return (
    db
      .prepare('SELECT count(*) AS n FROM recovery_codes WHERE username = ? AND used_at IS NULL')
      .get(username) as { n: number }
  ).n;
}

export function deleteRecoveryCodes(db: Db, username: string): void {
  db.prepare('DELETE FROM recovery_codes WHERE username = ?').run(username);
}
