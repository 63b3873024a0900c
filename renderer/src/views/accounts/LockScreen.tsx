// The app lock: after idle time (or on demand) everything is hidden until a 2FA code is typed.
import { useState, type FormEvent } from 'react';
import { useClient } from '../../api/context';
import { fieldErrors } from '../../lib/api-errors';
import './accounts.css';
import { SecondFactorField } from './auth-fields';

export function LockScreen(props: { username?: string; onUnlocked: () => void }) {
  const client = useClient();
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await client.call('accounts.unlock', useRecovery ? { recoveryCode: code } : { otp: code });
      props.onUnlocked();
    } catch (err) {
      const { byField, general } = fieldErrors(err);
      setError(byField.otp ?? byField.recoveryCode ?? general ?? 'That code was not accepted.');
      setCode('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      className="lock-screen"
      role="dialog"
      aria-modal="true"
      aria-labelledby="lock-title"
      data-testid="lock-screen"
    >
      <form className="form auth-card" onSubmit={submit}>
        <h1 id="lock-title">Hyperion is locked</h1>
        <p className="muted">
          {props.username ? `Signed in as ${props.username}. ` : ''}Type a code from your authenticator app to
          continue.
        </p>
        <SecondFactorField useRecovery={useRecovery} code={code} onCode={setCode} />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Unlock
        </button>
        <button type="button" className="link-button" onClick={() => setUseRecovery(!useRecovery)}>
          {useRecovery ? 'Use the authenticator app' : 'Use a recovery code'}
        </button>
      </form>
    </div>
  );
}
