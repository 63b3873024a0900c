// Your 2FA: set it up, move it to a new phone, new recovery codes, or turn it off where allowed.
import { useState, type FormEvent } from 'react';
import type { Me, TotpEnrolment } from '../../../../common/schemas/accounts';
import { useClient } from '../../api/context';
import { Panel } from '../../components/Panel';
import { fieldErrors } from '../../lib/api-errors';
import { RecoveryCodesList, TotpSetup } from './TotpSetup';

type Mode =
  | { kind: 'idle' }
  | { kind: 'prove'; purpose: 'enrol' | 'codes' | 'disable' }
  | { kind: 'enrolling'; enrolment: TotpEnrolment }
  | { kind: 'codes'; codes: string[] };

function message(err: unknown): string {
  const { byField, general } = fieldErrors(err);
  return general ?? Object.values(byField).join(' ');
}

export function TwoFactorSection({ me, onChanged }: { me: Me; onChanged: () => void }) {
  const client = useClient();
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const desktop = me.kind === 'desktop';
  const on = me.user.twoFactor;

  const reset = (): void => {
    setPassword('');
    setOtp('');
    setError(undefined);
  };

  const prove = async (event: FormEvent, purpose: 'enrol' | 'codes' | 'disable') => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (purpose === 'enrol') {
        const enrolment = await client.call(
          'accounts.beginTotp',
          desktop ? (on ? { otp } : {}) : { password },
        );
        setMode({ kind: 'enrolling', enrolment });
      } else if (purpose === 'codes') {
        const { recoveryCodes } = await client.call('accounts.newRecoveryCodes', { otp });
        setMode({ kind: 'codes', codes: recoveryCodes });
        onChanged();
      } else {
        await client.call('accounts.disableTotp', desktop ? { otp } : { password, otp });
        setMode({ kind: 'idle' });
        onChanged();
      }
      reset();
    } catch (err) {
      setError(message(err));
      setOtp('');
    } finally {
      setBusy(false);
    }
  };

  const body = (() => {
    if (mode.kind === 'enrolling') {
      return (
        <TotpSetup
          enrolment={mode.enrolment}
          onCancel={() => setMode({ kind: 'idle' })}
          onConfirm={async (code) => {
            try {
              const { recoveryCodes } = await client.call('accounts.confirmTotp', { otp: code });
              setMode({ kind: 'codes', codes: recoveryCodes });
              onChanged();
            } catch (err) {
              throw new Error(message(err));
            }
          }}
        />
      );
    }
    if (mode.kind === 'codes') {
      return (
        <RecoveryCodesList codes={mode.codes} onDone={() => setMode({ kind: 'idle' })} doneLabel="Done" />
      );
    }
    if (mode.kind === 'prove') {
      const purpose = mode.purpose;
      const needsPassword = !desktop && purpose !== 'codes';
      const needsOtp = purpose !== 'enrol' || (desktop && on);
      return (
        <form className="form" onSubmit={(e) => void prove(e, purpose)} data-testid="totp-prove">
          <p className="muted">
            {purpose === 'enrol'
              ? 'Confirm it is you before a new secret is made.'
              : purpose === 'codes'
                ? 'Your old recovery codes stop working.'
                : 'Sign-in will ask for your password only.'}
          </p>
          {needsPassword && (
            <label>
              Your password
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            </label>
          )}
          {needsOtp && (
            <label>
              A code from your current app
              <input
                name="otp"
                value={otp}
                onChange={(e) => setOtp(e.target.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                required
              />
            </label>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <div className="actions">
            <button type="submit" className={purpose === 'disable' ? 'danger' : 'primary'} disabled={busy}>
              {purpose === 'enrol' ? 'Continue' : purpose === 'codes' ? 'Make new codes' : 'Turn off 2FA'}
            </button>
            <button type="button" onClick={() => setMode({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </form>
      );
    }
    return (
      <>
        <p data-testid="totp-status">
          {on ? (
            <>
              <strong className="tone-ok">✓ On</strong> — {me.user.recoveryCodesLeft} unused recovery codes.
            </>
          ) : (
            <>
              <strong className="tone-warn">Off</strong> —{' '}
              {desktop
                ? 'set it up to confirm dangerous actions and to lock the app.'
                : 'sign-in asks for your password only.'}
            </>
          )}
        </p>
        <div className="actions">
          <button
            type="button"
            className={on ? undefined : 'primary'}
            onClick={() => setMode({ kind: 'prove', purpose: 'enrol' })}
            data-testid="totp-begin"
          >
            {on ? 'Move to a new phone' : 'Set up two-factor authentication'}
          </button>
          {on && (
            <button type="button" onClick={() => setMode({ kind: 'prove', purpose: 'codes' })}>
              New recovery codes
            </button>
          )}
          {on && !me.user.twoFactorRequired && (
            <button
              type="button"
              className="danger"
              onClick={() => setMode({ kind: 'prove', purpose: 'disable' })}
            >
              Turn off
            </button>
          )}
        </div>
        {on && me.user.twoFactorRequired && (
          <p className="muted small">The security policy requires 2FA for {me.user.role}s.</p>
        )}
      </>
    );
  })();
  return (
    <Panel title="Two-factor authentication" testId="account-2fa">
      {body}
    </Panel>
  );
}
