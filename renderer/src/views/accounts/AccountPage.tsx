// Your account: who you are and with which role, your password, 2FA, sessions and access keys. In the
// desktop app: this computer's 2FA, step-up and app lock.
import { useState, type FormEvent } from 'react';
import { useClient } from '../../api/context';
import { Panel } from '../../components/Panel';
import { fieldErrors } from '../../lib/api-errors';
import { AccessKeysSection } from './AccessKeysSection';
import { formatRelative, METHOD_WORDS, ROLE_WORDS } from './account-format';
import { useAccount } from './AccountProvider';
import { PolicySection } from './PolicySection';
import { SessionsSection } from './SessionsSection';
import { TwoFactorSection } from './TwoFactorSection';
import './accounts.css';

function PasswordSection() {
  const client = useClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setMessage(undefined);
    if (next !== repeat) {
      setErrors({ repeat: 'The two passwords differ.' });
      return;
    }
    try {
      const { otherSessionsEnded } = await client.call('accounts.changePassword', {
        currentPassword: current,
        newPassword: next,
      });
      setCurrent('');
      setNext('');
      setRepeat('');
      setMessage(
        `Password changed.${otherSessionsEnded ? ` ${otherSessionsEnded} other session${otherSessionsEnded === 1 ? ' was' : 's were'} signed out.` : ''}`,
      );
    } catch (err) {
      const { byField, general } = fieldErrors(err);
      setErrors(byField);
      setMessage(general);
    }
  };
  return (
    <Panel title="Password" testId="account-password">
      <form className="form" onSubmit={submit}>
        <label>
          Current password
          <input
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            required
          />
          {errors.currentPassword && <span className="field-error">{errors.currentPassword}</span>}
        </label>
        <label>
          New password (at least 12 characters)
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            required
          />
          {errors.newPassword && <span className="field-error">{errors.newPassword}</span>}
        </label>
        <label>
          Repeat the new password
          <input
            name="repeatPassword"
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            required
          />
          {errors.repeat && <span className="field-error">{errors.repeat}</span>}
        </label>
        <div>
          <button type="submit" className="primary">
            Change password
          </button>
        </div>
        {message && <p role="status">{message}</p>}
      </form>
    </Panel>
  );
}

export function AccountPage() {
  const { me, mode, reload, signOut } = useAccount();
  if (!me) return <div className="view muted">Loading…</div>;
  const desktop = me.kind === 'desktop';
  return (
    <div className="view" data-testid="account-view">
      <header className="view-header">
        <h1>{desktop ? 'This computer' : `Account: ${me.user.username}`}</h1>
        {mode === 'browser' && (
          <button type="button" onClick={() => void signOut()} data-testid="sign-out">
            Sign out
          </button>
        )}
      </header>
      <div className="panel-grid">
        <Panel title="Who you are">
          <dl className="facts">
            <dt>Role</dt>
            <dd data-testid="account-role">{ROLE_WORDS[me.role]}</dd>
            {me.role !== me.user.role && (
              <>
                <dt>Account role</dt>
                <dd>{me.user.role} (this session acts with less)</dd>
              </>
            )}
            {me.session && (
              <>
                <dt>Signed in with</dt>
                <dd>{METHOD_WORDS[me.session.method] ?? me.session.method}</dd>
                <dt>Session ends</dt>
                <dd>
                  {formatRelative(me.session.expiresAt)} if idle,{' '}
                  {formatRelative(me.session.absoluteExpiresAt)} at the latest
                </dd>
              </>
            )}
            {desktop && (
              <>
                <dt>Signed in as</dt>
                <dd>your workstation login: the desktop app is yours</dd>
              </>
            )}
          </dl>
        </Panel>
        {!desktop && <PasswordSection />}
        <TwoFactorSection me={me} onChanged={reload} />
        {desktop && me.role === 'admin' && <PolicySection me={me} onSaved={reload} desktop />}
        {!desktop && <SessionsSection />}
        {!desktop && <AccessKeysSection me={me} />}
      </div>
    </div>
  );
}
