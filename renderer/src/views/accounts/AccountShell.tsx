// Everything around the app once a connection exists: the step-up gate on the client, the account
// context, and the providers the views use.
import { StrictMode, useMemo, type ReactNode } from 'react';
import type { ClientSetup } from '../../api/client';
import { ClientProvider } from '../../api/context';
import { createStepUpGate } from '../../api/step-up';
import { AccountProvider } from './AccountProvider';

export function AccountShell(props: { setup: ClientSetup; onSignedOut?: () => void; children: ReactNode }) {
  const gate = useMemo(() => createStepUpGate(), []);
  const setup = useMemo<ClientSetup>(
    () => ({ ...props.setup, client: gate.wrap(props.setup.client) }),
    [props.setup, gate],
  );
  return (
    <StrictMode>
      <ClientProvider setup={setup}>
        <AccountProvider gate={gate} mode={setup.mode} onSignedOut={props.onSignedOut}>
          {props.children}
        </AccountProvider>
      </ClientProvider>
    </StrictMode>
  );
}
