// Saved hosts in SQLite: plain functions over a connection. Secrets are not here: see secrets/.
import { randomBytes } from 'node:crypto';
import type { AuthMethod, Host } from '../../../common/schemas/hosts';
import type { Db } from './database';

interface HostRow {
  id: string;
  name: string;
  address: string;
  port: number;
  username: string;
  auth_method: AuthMethod;
  key_path: string | null;
  proxy_jump: string | null;
  tags: string;
  has_secret: 0 | 1;
  created_at: number;
  updated_at: number;
}

export interface HostRecord {
  name: string;
  address: string;
  port: number;
  username: string;
  authMethod: AuthMethod;
  keyPath: string | null;
  proxyJump: string | null;
  tags: string[];
}

function toHost(row: HostRow): Host {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    port: row.port,
    username: row.username,
    auth: { method: row.auth_method, keyPath: row.key_path, hasSecret: row.has_secret === 1 },
    proxyJump: row.proxy_jump,
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function listHosts(db: Db): Host[] {
  const rows = db.prepare('SELECT * FROM hosts ORDER BY name COLLATE NOCASE').all() as HostRow[];
  return rows.map(toHost);
}

export function getHost(db: Db, id: string): Host | undefined {
  const row = db.prepare('SELECT * FROM hosts WHERE id = ?').get(id) as HostRow | undefined;
  return row && toHost(row);
}

export function setHasSecret(db: Db, id: string, hasSecret: boolean): void {
  db.prepare('UPDATE hosts SET has_secret = ? WHERE id = ?').run(hasSecret ? 1 : 0, id);
}

export function findHostByName(db: Db, name: string): { id: string } | undefined {
  return db.prepare('SELECT id FROM hosts WHERE name = ? COLLATE NOCASE').get(name) as
    { id: string } | undefined;
}

/** A readable, stable id: the name's letters and digits plus a short random suffix. */
export function newHostId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'host'}-${randomBytes(3).toString('hex')}`;
}

export function insertHost(db: Db, record: HostRecord, now: number): string {
  const id = newHostId(record.name);
  db.prepare(
    `INSERT INTO hosts (id, name, address, port, username, auth_method, key_path, proxy_jump, tags, created_at, updated_at)
     VALUES (@id, @name, @address, @port, @username, @authMethod, @keyPath, @proxyJump, @tags, @now, @now)`,
  ).run({ ...record, id, tags: JSON.stringify(record.tags), now });
  return id;
}

export function updateHost(db: Db, id: string, record: HostRecord, now: number): boolean {
  const result = db
    .prepare(
      `UPDATE hosts SET name = @name, address = @address, port = @port, username = @username,
         auth_method = @authMethod, key_path = @keyPath, proxy_jump = @proxyJump, tags = @tags, updated_at = @now
       WHERE id = @id`,
    )
    .run({ ...record, id, tags: JSON.stringify(record.tags), now });
  return result.changes === 1;
}

export function deleteHost(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM hosts WHERE id = ?').run(id).changes === 1;
}

/** Hosts that use `id` as their jump host (removing it would strand them). */
export function hostsJumpingThrough(db: Db, id: string): string[] {
  return (db.prepare('SELECT name FROM hosts WHERE proxy_jump = ?').all(id) as { name: string }[]).map(
    (r) => r.name,
  );
}
