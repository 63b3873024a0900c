// Entry point of the renderer: connect to the core, then draw the app.
import './zod-setup';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { ClientProvider } from './api/context';
import { App } from './App';
import { TimeRangeProvider } from './hooks/useTimeRange';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

void createClient().then((setup) => {
  if ('problem' in setup) {
    root.render(
      <div className="fatal" role="alert" data-testid="access-problem">
        <h1>
          {setup.problem === 'missing-token'
            ? 'Hyperion needs its access link'
            : 'This access link is no longer valid'}
        </h1>
        <p>
          Open the full URL that <code>hyperion serve</code> printed when it started: it ends with{' '}
          <code>#token=…</code>, which proves you may see this machine.{' '}
          {setup.problem === 'invalid-token' && 'A restarted server prints a new one. '}
          The token stays in this tab only.
        </p>
      </div>,
    );
    return;
  }
  root.render(
    <StrictMode>
      <ClientProvider setup={setup}>
        <TimeRangeProvider>
          <App />
        </TimeRangeProvider>
      </ClientProvider>
    </StrictMode>,
  );
});
