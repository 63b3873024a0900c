// The schema's history: numbered migrations, applied in order, each in its own transaction.
import type Database from 'better-sqlite3';
import { m001Hosts } from './001-hosts';
import { m002History } from './002-history';
import { m003Audit } from './003-audit';
import { m007Accounts } from './007-accounts';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [m001Hosts, m002History, m003Audit, m007Accounts];
