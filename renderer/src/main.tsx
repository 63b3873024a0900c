// Entry point of the renderer: the desktop bridge, or the served app's sign-in; then the app.
import './zod-setup';
import { createRoot } from 'react-dom/client';
import { desktopClient, type ClientSetup } from './api/client';
import { App } from './App';
import { TimeRangeProvider } from './hooks/useTimeRange';
import { AccountShell } from './views/accounts/AccountShell';
import { BrowserGate } from './views/accounts/BrowserGate';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

const app = (setup: ClientSetup, onSignedOut?: () => void) => (
  <AccountShell setup={setup} onSignedOut={onSignedOut}>
    <TimeRangeProvider>
      <App />
    </TimeRangeProvider>
  </AccountShell>
);

root.render(window.hyperion ? app(desktopClient(window.hyperion)) : <BrowserGate renderApp={app} />);
