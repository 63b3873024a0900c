// The served app's front door: reads a setup or access-key link, asks the server who this browser
// is, and shows the setup page, the sign-in steps, or the app — and comes back here when the
// session ends.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { AUTH_PATHS } from '../../../../common/schemas/accounts';
import { fetchAuthState, postStep, Unreachable } from '../../api/auth-http';
import { browserClient, type ClientSetup } from '../../api/client';
import { takeLinkSecret } from '../../api/link-fragment';
import { AuthCard, SetupPage, SignInPage, type SignedIn } from './SignIn';
import { RecoveryCodesList } from './TotpSetup';

type GateState =
  | { kind: 'checking' }
  | { kind: 'unreachable' }
  | { kind: 'setup'; token: string }
  | { kind: 'needs-setup-link' }
  | { kind: 'link-invalid' }
  | { kind: 'sign-in'; notice?: string }
  | { kind: 'recovery-codes'; codes: string[] }
  | { kind: 'app'; setup: ClientSetup };

export function BrowserGate(props: { renderApp: (setup: ClientSetup, signedOut: () => void) => ReactNode }) {
  const [state, setState] = useState<GateState>({ kind: 'checking' });

  const openApp = useCallback(() => {
    const setup = browserClient();
    setup.onSignedOut((reason) => {
      setup.client.close();
      setState({ kind: 'sign-in', notice: reason });
    });
    setState({ kind: 'app', setup });
  }, []);

  const decide = useCallback(
    async (setupToken?: string, notice?: string) => {
      try {
        const auth = await fetchAuthState();
        if (auth.signedIn) openApp();
        else if (auth.setupRequired)
          setState(setupToken ? { kind: 'setup', token: setupToken } : { kind: 'needs-setup-link' });
        else
          setState({
            kind: 'sign-in',
            notice: setupToken ? 'Hyperion is set up already: sign in with your account.' : notice,
          });
      } catch {
        setState({ kind: 'unreachable' });
      }
    },
    [openApp],
  );

  useEffect(() => {
    const secret = takeLinkSecret(window.location, window.history);
    if (secret?.kind === 'token') {
      postStep(AUTH_PATHS.key, { key: secret.value }).then(
        () => openApp(),
        (err: unknown) => setState({ kind: err instanceof Unreachable ? 'unreachable' : 'link-invalid' }),
      );
      return;
    }
    void decide(secret?.kind === 'setup' ? secret.value : undefined);
  }, [decide, openApp]);

  // While Hyperion is away, look again every few seconds.
  useEffect(() => {
    if (state.kind !== 'unreachable') return;
    const timer = setInterval(() => void decide(), 3_000);
    return () => clearInterval(timer);
  }, [state.kind, decide]);

  const signedIn = (result: SignedIn): void => {
    if (result.recoveryCodes?.length) setState({ kind: 'recovery-codes', codes: result.recoveryCodes });
    else openApp();
  };

  switch (state.kind) {
    case 'checking':
      return <div className="auth-page muted" aria-busy="true" />;
    case 'unreachable':
      return (
        <AuthCard title="Hyperion does not answer" testId="access-problem">
          <p>
            Is <code>hyperion serve</code> running? This page tries again every few seconds.
          </p>
        </AuthCard>
      );
    case 'needs-setup-link':
      return (
        <AuthCard title="Hyperion needs its setup link" testId="access-problem">
          <p>
            No account exists yet. Open the one-time link that <code>hyperion serve</code> printed when it
            started (it ends with <code>#setup=…</code>) to create the first admin.
          </p>
        </AuthCard>
      );
    case 'link-invalid':
      return (
        <AuthCard title="This access link is no longer valid" testId="access-problem">
          <p>
            The access key in it was revoked or has expired. Ask for a new link, or sign in with your account.
          </p>
          <button type="button" className="primary" onClick={() => setState({ kind: 'sign-in' })}>
            Sign in
          </button>
        </AuthCard>
      );
    case 'setup':
      return <SetupPage setupToken={state.token} onSignedIn={signedIn} />;
    case 'sign-in':
      return <SignInPage notice={state.notice} onSignedIn={signedIn} />;
    case 'recovery-codes':
      return (
        <AuthCard title="Save your recovery codes" testId="recovery-codes-page">
          <RecoveryCodesList
            codes={state.codes}
            onDone={openApp}
            doneLabel="I have saved them — open Hyperion"
          />
        </AuthCard>
      );
    case 'app':
      return (
        <>
          {props.renderApp(state.setup, () => {
            state.setup.client.close();
            setState({ kind: 'sign-in', notice: 'You are signed out.' });
          })}
        </>
      );
  }
}
