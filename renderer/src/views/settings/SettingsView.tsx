// Settings: how often hosts are sampled, and which secret store holds credentials.
import { useCallback, useState, type FormEvent } from 'react';
import type { MonitoringSettings } from '../../../../common/api';
import type { HyperionClient } from '../../api/client';
import { useClient, useOnConnected } from '../../api/context';
import { Panel } from '../../components/Panel';
import { StorageSection } from './StorageSection';
import { UnitsSection } from './UnitsSection';
import './settings.css';
import { fieldErrors } from '../../lib/api-errors';

export function SettingsView({ hostNames }: { hostNames: ReadonlyMap<string, string> }) {
  const client = useClient();
  const [settings, setSettings] = useState<MonitoringSettings>();
  const [secrets, setSecrets] = useState<{ kind: string; description: string }>();
  const [fast, setFast] = useState('');
  const [background, setBackground] = useState('');
  const [message, setMessage] = useState<string>();

  useOnConnected(
    useCallback((c: HyperionClient) => {
      c.call('settings.monitoring', {}).then(
        (s) => {
          setSettings(s);
          setFast(String(s.fastIntervalMs / 1000));
          setBackground(String(s.backgroundIntervalMs / 1000));
        },
        () => undefined,
      );
      c.call('secrets.info', {}).then(setSecrets, () => undefined);
    }, []),
  );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const fastSec = Number(fast);
    const backgroundSec = Number(background);
    if (!(fastSec >= 0.5 && fastSec <= 60)) {
      setMessage('Hosts on screen: choose from 0.5 to 60 seconds.');
      return;
    }
    if (!(backgroundSec >= 1 && backgroundSec <= 600)) {
      setMessage('Hosts in the background: choose from 1 to 600 seconds.');
      return;
    }
    try {
      const saved = await client.call('settings.setMonitoring', {
        fastIntervalMs: Math.round(Number(fast) * 1000),
        backgroundIntervalMs: Math.round(Number(background) * 1000),
      });
      setSettings(saved);
      setMessage('Saved. New intervals apply from the next sample.');
    } catch (err) {
      const { byField, general } = fieldErrors(err);
      setMessage(
        general ??
          Object.entries(byField)
            .map(([f, m]) => `${f}: ${m}`)
            .join('; '),
      );
    }
  };

  return (
    <div className="view" data-testid="settings-view">
      <header className="view-header">
        <h1>Settings</h1>
      </header>
      <div className="panel-grid">
        <Panel title="Sampling">
          <form className="form" onSubmit={save}>
            <label className="inline">
              Hosts on screen: every{' '}
              <input
                className="narrow-input"
                value={fast}
                onChange={(e) => setFast(e.target.value)}
                inputMode="decimal"
                aria-label="Interval for hosts on screen, seconds"
              />{' '}
              s
            </label>
            <label className="inline">
              Hosts in the background: every{' '}
              <input
                className="narrow-input"
                value={background}
                onChange={(e) => setBackground(e.target.value)}
                inputMode="decimal"
                aria-label="Interval for background hosts, seconds"
              />{' '}
              s
            </label>
            <p className="muted small">
              A host is on screen while any view shows its figures. Background sampling keeps history and
              alerts going at a lower cost.
            </p>
            <div>
              <button type="submit" className="primary" disabled={!settings}>
                Save
              </button>
            </div>
            {message && <p role="status">{message}</p>}
          </form>
        </Panel>
        <Panel title="Secret store">
          {secrets ? (
            <p data-testid="secret-store">
              <strong>{secrets.kind === 'os-keychain' ? 'OS keychain' : 'Encrypted file'}</strong> —{' '}
              {secrets.description}
            </p>
          ) : (
            <p className="muted">Checking…</p>
          )}
          <p className="muted small">
            Passwords and key passphrases live only there: never in Hyperion’s database, its logs, or this
            page.
          </p>
        </Panel>
        <UnitsSection />
        <StorageSection hostNames={hostNames} />
      </div>
    </div>
  );
}
