// The schema's history: numbered migrations, applied in order, each in its own transaction.
import type Database from 'better-sqlite3';
import { m001Hosts } from './001-hosts';
import { m002History } from './002-history';
import { m003Audit } from './003-audit';
import { m004Alerts } from './004-alerts';
import { m005CommandRuns } from './005-command-runs';
import { m006Accounts } from './006-accounts';
import { m007Staging } from './007-staging';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** In order of version, 1, 2, 3, … without holes; a released number is never reused. */
export const MIGRATIONS: readonly Migration[] = [
  m001Hosts,
  m002History,
  m003Audit,
  m004Alerts,
  m005CommandRuns,
  m006Accounts,
  m007Staging,
];
