// Setting up an authenticator app: the QR code, the secret for typing by hand, and the first code.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { TotpEnrolment } from '../../../../common/schemas/accounts';
import './accounts.css';

export function TotpSetup(props: {
  enrolment: TotpEnrolment;
  /** Resolves when accepted; rejects with a message to show beside the code. */
  onConfirm: (otp: string) => Promise<void>;
  onCancel?: () => void;
  submitLabel?: string;
}) {
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(otp);
    } catch (err) {
      setError((err as Error).message);
      setOtp('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form totp-setup" onSubmit={submit} data-testid="totp-setup">
      <ol className="totp-steps">
        <li>Open an authenticator app on your phone (Aegis, Google Authenticator, 1Password, …).</li>
        <li>Scan this code, or type the key by hand:</li>
      </ol>
      <div className="totp-pair">
        <img
          className="totp-qr"
          src={props.enrolment.qrDataUrl}
          alt={`QR code to add ${props.enrolment.account} at ${props.enrolment.issuer} to an authenticator app`}
          width={180}
          height={180}
          data-testid="totp-qr"
        />
        <div>
          <div className="muted small">Key (time-based, 6 digits, 30 s)</div>
          <code className="totp-secret" data-testid="totp-secret">
            {props.enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
          </code>
        </div>
      </div>
      <label>
        3. Type the 6-digit code the app shows
        <input
          name="otp"
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'totp-setup-error' : undefined}
        />
      </label>
      {error && (
        <p className="form-error" id="totp-setup-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || otp.trim().length < 6}>
          {props.submitLabel ?? 'Turn on two-factor authentication'}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** The one-time recovery codes, shown once, with a way to keep them. */
export function RecoveryCodesList(props: { codes: string[]; onDone: () => void; doneLabel?: string }) {
  const [copied, setCopied] = useState(false);
  const text = `Hyperion recovery codes (each works once)\n\n${props.codes.join('\n')}\n`;
  const download = useMemo(() => URL.createObjectURL(new Blob([text], { type: 'text/plain' })), [text]);
  useEffect(() => () => URL.revokeObjectURL(download), [download]);
  return (
    <div className="recovery-codes" data-testid="recovery-codes">
      <p>
        Keep these <strong>{props.codes.length} recovery codes</strong> somewhere safe, away from your phone.
        Each signs you in once if you lose the phone. They are not shown again.
      </p>
      <ul className="recovery-code-list">
        {props.codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <a className="button-link" href={download} download="hyperion-recovery-codes.txt">
          Download
        </a>
        <button type="button" className="primary" onClick={props.onDone} data-testid="recovery-codes-done">
          {props.doneLabel ?? 'I have saved them'}
        </button>
      </div>
    </div>
  );
}
