// The schema's history: numbered migrations, applied in order, each in its own transaction.
import type Database from 'better-sqlite3';
import { m001Hosts } from './001-hosts';
import { m002History } from './002-history';
import { m003Audit } from './003-audit';
import { m008Staging } from './008-staging';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * In order of version. Numbers are reserved per branch while features are built side by side
 * (004–007 elsewhere): a hole is closed when the branches meet, never reused.
 */
export const MIGRATIONS: readonly Migration[] = [m001Hosts, m002History, m003Audit, m008Staging];
