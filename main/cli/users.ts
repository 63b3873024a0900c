// `hyperion users list|reset NAME`: the accounts of `hyperion serve`, read and repaired straight in the
// database — the way back in when the only admin has lost both phone and recovery codes. Whoever can
// run this can read the data folder already; every reset is written to the audit log.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { AuditLog } from '../core/audit/audit-log';
import { AccountsService } from '../core/accounts/accounts-service';
import { DATABASE_FILE } from '../core/core';
import { silentLogger } from '../core/log';
import { chooseSecretStore } from '../core/secrets/select';
import { openDatabase } from '../core/store/database';
import { UsageError } from './usage';

export interface UsersCommandOptions {
  sub: string | undefined;
  name: string | undefined;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

function when(ts: number | null): string {
  return ts === null ? '–' : new Date(ts).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** 20 characters from a set without look-alikes: about 114 bits. */
function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 20 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export async function runUsers(options: UsersCommandOptions): Promise<{ status: number; text: string }> {
  if (options.sub !== 'list' && options.sub !== 'reset')
    throw new UsageError('users needs list or reset NAME');
  if (options.sub === 'reset' && !options.name) throw new UsageError('users reset needs the user name');
  const path = join(options.dataDir, DATABASE_FILE);
  if (!existsSync(path)) throw new Error(`there is no Hyperion database in ${options.dataDir}`);
  const db = openDatabase({ path });
  try {
    const { store } = await chooseSecretStore({
      dataDir: options.dataDir,
      env: options.env,
      log: silentLogger,
    });
    const audit = new AuditLog(db);
    const accounts = new AccountsService({ db, secrets: store, audit });
    if (options.sub === 'list') {
      const users = accounts.listUsers();
      if (users.length === 0)
        return { status: 0, text: 'No accounts yet: open the setup link that hyperion serve prints.\n' };
      const rows = users.map((u) =>
        [
          u.username,
          u.role,
          u.twoFactor ? `2FA (${u.recoveryCodesLeft} codes)` : 'no 2FA',
          u.disabled ? 'disabled' : u.lockedUntil ? `locked until ${when(u.lockedUntil)}` : 'active',
          `last sign-in ${when(u.lastLoginAt)}${u.lastLoginAddress ? ` from ${u.lastLoginAddress}` : ''}`,
        ].join('  '),
      );
      return { status: 0, text: `${rows.join('\n')}\n` };
    }
    const name = options.name!.trim().toLowerCase();
    const user = accounts.getUser(name);
    if (!user || user.kind !== 'account') throw new Error(`there is no account called "${name}"`);
    const password = temporaryPassword();
    await accounts.resetTwoFactor('cli', name);
    await accounts.resetPassword('cli', name, password);
    accounts.unlockUser(name);
    if (user.disabled) accounts.setDisabled('cli', name, false);
    audit.record({
      actor: 'cli',
      via: 'cli',
      action: 'users.reset',
      target: name,
      args: { username: name },
      result: 'ok',
    });
    return {
      status: 0,
      text:
        `${name} was reset: 2FA removed, lockout lifted, every session and access key ended.\n` +
        `Temporary password (shown once; ${name} chooses a new one at the next sign-in` +
        `${accounts.twoFactorRequired(user.role) ? ', then sets up 2FA again' : ''}):\n\n    ${password}\n\n`,
    };
  } finally {
    db.close();
  }
}
