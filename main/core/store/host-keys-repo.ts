// Host keys the user accepted in Hyperion, consulted beside ~/.ssh/known_hosts (keyed by hostPortId).
import type { Db } from './database';

export interface AcceptedHostKey {
  hostPort: string;
  keyType: string;
  keyBase64: string;
  fingerprint: string;
  acceptedAt: number;
}

export function acceptedKeys(db: Db, hostPort: string): AcceptedHostKey[] {
  return db
    .prepare(
      `SELECT host_port AS hostPort, key_type AS keyType, key_base64 AS keyBase64, fingerprint, accepted_at AS acceptedAt
       FROM host_keys WHERE host_port = ?`,
    )
    .all(hostPort) as AcceptedHostKey[];
}

/** Accepting a key replaces any earlier key of the same type for that host (a deliberate review). */
export function acceptKey(db: Db, key: AcceptedHostKey): void {
  db.prepare(
    `INSERT INTO host_keys (host_port, key_type, key_base64, fingerprint, accepted_at)
     VALUES (@hostPort, @keyType, @keyBase64, @fingerprint, @acceptedAt)
     ON CONFLICT (host_port, key_type) DO UPDATE SET key_base64 = excluded.key_base64,
       fingerprint = excluded.fingerprint, accepted_at = excluded.accepted_at`,
  ).run(key);
}

export function forgetKeys(db: Db, hostPort: string): number {
  return db.prepare('DELETE FROM host_keys WHERE host_port = ?').run(hostPort).changes;
}
