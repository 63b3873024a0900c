// The second factor of an account: its TOTP secret (kept in the secret store, never in SQLite), codes
// checked once each, and one-time recovery codes stored as digests.
import type { TotpEnrolment } from '../../../common/schemas/accounts';
import { userTotpRef, type SecretStore } from '../secrets/port';
import type { Db } from '../store/database';
import { qrSvgDataUrl } from './qr';
import { digest, newRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from './tokens';
import { base32Decode, newTotpSecret, otpauthUri, verifyTotp } from './totp';
import {
  claimTotpCounter,
  deleteRecoveryCodes,
  getUser,
  replaceRecoveryCodes,
  useRecoveryCode,
} from './users-repo';

export type SecondFactorProof = { otp: string } | { recoveryCode: string };

export type ProofResult = { ok: true; via: 'totp' | 'recovery' } | { ok: false; reason: string };

export class SecondFactor {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore,
    private readonly now: () => number,
    private readonly issuer = 'Hyperion',
  ) {}

  /** A new secret and how to show it; nothing is stored until a first code confirms it. */
  async newEnrolment(username: string): Promise<TotpEnrolment> {
    const secret = newTotpSecret();
    const uri = otpauthUri(secret, username, this.issuer);
    return { secret, uri, qrDataUrl: await qrSvgDataUrl(uri), account: username, issuer: this.issuer };
  }

  /** Checks a first code against a secret not yet stored; the matched step is remembered. */
  confirmEnrolment(secret: string, otp: string): number | undefined {
    return verifyTotp(base32Decode(secret), otp, this.now())?.counter;
  }

  /** Stores a confirmed secret, marks its first code used, and issues fresh recovery codes. */
  async activate(username: string, secret: string, counter: number): Promise<string[]> {
    await this.secrets.set(userTotpRef(username), secret);
    this.db
      .prepare('UPDATE users SET totp_enabled = 1, totp_last_counter = ? WHERE username = ?')
      .run(counter, username);
    return this.issueRecoveryCodes(username);
  }

  issueRecoveryCodes(username: string): string[] {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    replaceRecoveryCodes(
      this.db,
      username,
      codes.map((c) => digest(c)),
    );
    return codes;
  }

  async remove(username: string): Promise<void> {
    this.db
      .prepare('UPDATE users SET totp_enabled = 0, totp_last_counter = -1 WHERE username = ?')
      .run(username);
    deleteRecoveryCodes(this.db, username);
    await this.secrets.delete(userTotpRef(username));
  }

  /** A code from the app (each accepted once) or an unused recovery code (then spent). */
  async prove(username: string, proof: SecondFactorProof): Promise<ProofResult> {
    const user = getUser(this.db, username);
    if (!user?.totp_enabled) return { ok: false, reason: 'two-factor authentication is not set up' };
    if ('recoveryCode' in proof) {
      const hash = digest(normaliseRecoveryCode(proof.recoveryCode));
      return useRecoveryCode(this.db, username, hash, this.now())
        ? { ok: true, via: 'recovery' }
        : { ok: false, reason: 'that recovery code is wrong or was used already' };
    }
    const secret = await this.secrets.get(userTotpRef(username));
    if (!secret) return { ok: false, reason: 'the 2FA secret is missing from the secret store' };
    const check = verifyTotp(base32Decode(secret), proof.otp, this.now());
    if (!check) return { ok: false, reason: 'that code is wrong or has expired' };
    if (!claimTotpCounter(this.db, username, check.counter)) {
      return { ok: false, reason: 'that code was used already; wait for the next one' };
    }
    return { ok: true, via: 'totp' };
  }
}
