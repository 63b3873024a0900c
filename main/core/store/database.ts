// Opens Hyperion's one SQLite database: WAL, foreign keys, and numbered migrations applied at start.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of the database file; ':memory:' for throwaway stores in tests. */
  path: string;
  /** better-sqlite3 built for another ABI (the Electron shell's copy). */
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

export class StoreOpenError extends Error {
  constructor(
    readonly code: 'newer_version' | 'unreadable' | 'migration_failed',
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

export function openDatabase(options: OpenOptions): Db {
  const migrations = options.migrations ?? MIGRATIONS;
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
  let db: Db;
  try {
    db = new Database(options.path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // NORMAL in WAL mode: a committed transaction survives a process crash; only an OS crash
    // or power loss may lose the last ones, never corrupt the file.
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    throw new StoreOpenError(
      'unreadable',
      `Hyperion cannot open its database at ${options.path}: ${(err as Error).message}. ` +
        'Move the file aside to start with an empty one, or restore a backup.',
    );
  }
  try {
    migrate(db, migrations, options.path);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly Migration[], path: string): void {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StoreOpenError(
      'newer_version',
      `The database at ${path} was written by a newer Hyperion (schema ${current}; this version knows up to ${latest}). ` +
        'Upgrade Hyperion, or point it at another data folder.',
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (err) {
      throw new StoreOpenError(
        'migration_failed',
        `Updating the database at ${path} to schema ${migration.version} (${migration.name}) failed: ${(err as Error).message}. Nothing was changed.`,
      );
    }
  }
}
