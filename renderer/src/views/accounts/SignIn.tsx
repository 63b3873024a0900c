// The sign-in steps of the served app: the first admin's setup, password, the second factor (or a
// recovery code), setting 2FA up when the policy requires it, and choosing a new password.
import { useState, type FormEvent, type ReactNode } from 'react';
import { AUTH_PATHS, type AuthStep } from '../../../../common/schemas/accounts';
import { AuthFailure, postStep, Unreachable } from '../../api/auth-http';
import { NewPasswordFields, SecondFactorField } from './auth-fields';
import { TotpSetup } from './TotpSetup';
import './accounts.css';

type Step = Exclude<AuthStep, { next: 'signed-in' }>;

export interface SignedIn {
  username: string;
  role: string;
  recoveryCodes?: string[];
}

function messageOf(err: unknown): string {
  if (err instanceof AuthFailure) {
    const wait = err.error.retryAfterMs;
    return wait && (err.error.code === 'rate_limited' || err.error.code === 'locked')
      ? `${err.message} (try again in ${Math.ceil(wait / 1000)} s)`
      : err.message;
  }
  if (err instanceof Unreachable) return 'Hyperion does not answer: is hyperion serve still running?';
  return (err as Error).message;
}

export function AuthCard(props: { title: string; children: ReactNode; testId: string; notice?: string }) {
  return (
    <main className="auth-page">
      <section className="auth-card" data-testid={props.testId} aria-labelledby="auth-title">
        <div className="brand auth-brand">
          <img src="./favicon.svg" alt="" width={28} height={28} />
          <span>Hyperion</span>
        </div>
        <h1 id="auth-title">{props.title}</h1>
        {props.notice && (
          <p className="auth-notice" role="status" data-testid="auth-notice">
            {props.notice}
          </p>
        )}
        {props.children}
      </section>
    </main>
  );
}

function ErrorLine({ error }: { error: string | undefined }) {
  return error ? (
    <p className="form-error" role="alert" data-testid="sign-in-error">
      {error}
    </p>
  ) : null;
}

/** Runs the steps after the first one; `first` is the step the password (or setup) led to. */
function NextSteps(props: { step: Step; onSignedIn: (s: SignedIn) => void; onRestart: () => void }) {
  const [step, setStep] = useState<Step>(props.step);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');

  const follow = (next: AuthStep): void => {
    setError(undefined);
    setCode('');
    if (next.next === 'signed-in') {
      props.onSignedIn({ ...next.user, recoveryCodes: next.recoveryCodes });
      return;
    }
    setStep(next);
  };
  const run = async (action: () => Promise<AuthStep>): Promise<void> => {
    setBusy(true);
    try {
      follow(await action());
    } catch (err) {
      setError(messageOf(err));
      if (err instanceof AuthFailure && err.error.code === 'expired') props.onRestart();
    } finally {
      setBusy(false);
    }
  };

  if (step.next === 'enrol') {
    return (
      <AuthCard title="Set up two-factor authentication" testId="sign-in-enrol">
        <p className="muted">
          {step.username}, your role signs in with a code from your phone as well as your password.
        </p>
        <TotpSetup
          enrolment={step.enrolment}
          submitLabel="Confirm and sign in"
          onConfirm={async (otp) => {
            try {
              follow(await postStep(AUTH_PATHS.enrol, { ticket: step.ticket, otp }));
            } catch (err) {
              if (err instanceof AuthFailure && err.error.code === 'expired') props.onRestart();
              throw new Error(messageOf(err));
            }
          }}
        />
      </AuthCard>
    );
  }
  if (step.next === 'change-password') {
    const submit = (event: FormEvent) => {
      event.preventDefault();
      if (password !== repeat) {
        setError('The two passwords differ.');
        return;
      }
      void run(() => postStep(AUTH_PATHS.password, { ticket: step.ticket, newPassword: password }));
    };
    return (
      <AuthCard title="Choose your password" testId="sign-in-new-password">
        <p className="muted">An admin set your first password; choose your own (at least 12 characters).</p>
        <form className="form" onSubmit={submit}>
          <NewPasswordFields
            label="New password"
            repeatLabel="Repeat it"
            name="newPassword"
            password={password}
            repeat={repeat}
            onPassword={setPassword}
            onRepeat={setRepeat}
          />
          <ErrorLine error={error} />
          <button type="submit" className="primary" disabled={busy}>
            Save and continue
          </button>
        </form>
      </AuthCard>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(() =>
      postStep(
        AUTH_PATHS.totp,
        useRecovery ? { ticket: step.ticket, recoveryCode: code } : { ticket: step.ticket, otp: code },
      ),
    );
  };
  return (
    <AuthCard title="Two-factor authentication" testId="sign-in-totp">
      <form className="form" onSubmit={submit}>
        <SecondFactorField
          useRecovery={useRecovery}
          code={code}
          onCode={setCode}
          label="The 6-digit code from your authenticator app"
          recoveryLabel="A recovery code"
        />
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setCode('');
            setError(undefined);
          }}
        >
          {useRecovery ? 'Use the authenticator app' : 'Lost your phone? Use a recovery code'}
        </button>
      </form>
    </AuthCard>
  );
}

export function SignInPage(props: { notice?: string; onSignedIn: (s: SignedIn) => void }) {
  const [step, setStep] = useState<Step>();
  const [restarted, setRestarted] = useState<string>();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  if (step) {
    return (
      <NextSteps
        key={step.ticket}
        step={step}
        onSignedIn={props.onSignedIn}
        onRestart={() => {
          setStep(undefined);
          setRestarted('That sign-in expired: start again.');
        }}
      />
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const next = await postStep(AUTH_PATHS.login, { username, password });
      setPassword('');
      if (next.next === 'signed-in') props.onSignedIn(next.user);
      else setStep(next);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthCard title="Sign in" testId="sign-in" notice={restarted ?? props.notice}>
      <form className="form" onSubmit={submit}>
        <label>
          User name
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted small">
        Forgot your password or lost your phone and codes? An admin can reset them.
      </p>
    </AuthCard>
  );
}

/** The first admin: name and password, then 2FA (created only once the first code is confirmed). */
export function SetupPage(props: { setupToken: string; onSignedIn: (s: SignedIn) => void }) {
  const [step, setStep] = useState<Step>();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (step) {
    return <NextSteps step={step} onSignedIn={props.onSignedIn} onRestart={() => setStep(undefined)} />;
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const next = await postStep(AUTH_PATHS.setup, { setupToken: props.setupToken, username, password });
      if (next.next !== 'signed-in') setStep(next);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthCard title="Create the first admin" testId="setup-page">
      <p className="muted">
        This Hyperion has no accounts yet. The admin you create here manages hosts, users and settings, and
        signs in with a password and a code from an authenticator app.
      </p>
      <form className="form" onSubmit={submit}>
        <label>
          User name
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <NewPasswordFields
          label="Password (at least 12 characters)"
          repeatLabel="Repeat the password"
          name="password"
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
        />
        <ErrorLine error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Continue to two-factor authentication
        </button>
      </form>
    </AuthCard>
  );
}
