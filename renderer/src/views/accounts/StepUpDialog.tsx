// "Confirm with 2FA": a dangerous action waits here for a code (or a recovery code), then runs.
import { useEffect, useState, type FormEvent } from 'react';
import { useClient } from '../../api/context';
import type { StepUpGate, StepUpRequest } from '../../api/step-up';
import { Dialog } from '../../components/Dialog';
import { fieldErrors } from '../../lib/api-errors';
import { SecondFactorField } from './auth-fields';

const WHAT: Record<string, string> = {
  'hosts.remove': 'Remove a host',
  'users.remove': 'Delete an account',
};

export function describeAction(method: string): string {
  return WHAT[method] ?? `Run ${method}`;
}

export function StepUpDialog(props: { gate: StepUpGate; canConfirm: boolean }) {
  const client = useClient();
  const [request, setRequest] = useState<StepUpRequest>();
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(
    () =>
      props.gate.onRequest((next) => {
        setRequest(next);
        setCode('');
        setError(undefined);
      }),
    [props.gate],
  );
  if (!request) return null;

  const close = (confirmed: boolean) => {
    request.settle(confirmed);
    setRequest(undefined);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await client.call('accounts.stepUp', useRecovery ? { recoveryCode: code } : { otp: code });
      close(true);
    } catch (err) {
      const { byField, general } = fieldErrors(err);
      setError(byField.otp ?? byField.recoveryCode ?? general ?? 'That code was not accepted.');
      setCode('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Confirm with two-factor authentication"
      onClose={() => close(false)}
      testId="step-up-dialog"
    >
      {props.canConfirm ? (
        <form className="form" onSubmit={submit}>
          <p>
            <strong>{describeAction(request.method)}</strong> is hard to undo. Type a code from your
            authenticator app to go ahead.
          </p>
          <SecondFactorField useRecovery={useRecovery} code={code} onCode={setCode} />
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="button" className="link-button" onClick={() => setUseRecovery(!useRecovery)}>
            {useRecovery ? 'Use the authenticator app' : 'Use a recovery code'}
          </button>
          <div className="dialog-actions">
            <button type="button" onClick={() => close(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={busy} data-testid="step-up-confirm">
              Confirm
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>
            Dangerous actions need a code from an authenticator app, and your account has none set up. Set up
            two-factor authentication on your account page first.
          </p>
          <div className="dialog-actions">
            <a className="button-link" href="#/account" onClick={() => close(false)}>
              Open my account
            </a>
            <button type="button" onClick={() => close(false)}>
              Close
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
