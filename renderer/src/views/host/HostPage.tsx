// One host: its state and what to do about it, then its sections in tabs (host-tab-registry.ts).
import { useState } from 'react';
import type { Host, HostStatus } from '../../../../common/schemas/hosts';
import { useClient } from '../../api/context';
import { EmptyState } from '../../components/Panel';
import { StateBadge } from '../../components/StateBadge';
import { formatBytesPerSec, formatPercent } from '../../lib/format';
import { HostKeyPrompt } from '../hosts/HostKeyPrompt';
import { TimeRangePicker } from '../../components/TimeRangePicker';
import { useKnownFacts } from '../../hooks/useLiveSamples';
import { HostClockProvider } from '../../hooks/useTimeRange';
import { formatUptime } from '../../lib/format';
import { findTab } from './host-tab-registry';
import { HostTabs } from './HostTabs';
import './host-view.css';

interface Props {
  hostId: string;
  /** The tab from the URL; undefined opens the first one. */
  tabId: string | undefined;
  host: Host | undefined;
  status: HostStatus | undefined;
  /** False until the saved hosts are listed: an unknown id is not "no such host" yet. */
  hostsLoaded: boolean;
  onEdit: (host: Host) => void;
  onRemoved: () => void;
}

export function HostPage({ hostId, tabId, host, status, hostsLoaded, onEdit, onRemoved }: Props) {
  const client = useClient();
  const [keyPromptOpen, setKeyPromptOpen] = useState(false);
  const tab = findTab(tabId);
  const known = useKnownFacts(hostId);
  const [error, setError] = useState<string>();
  const isLocal = hostId === 'local';

  if (!isLocal && !host && !hostsLoaded) {
    return (
      <div className="view" aria-busy="true">
        <div className="skeleton skeleton-chart" />
        <p className="muted">Loading the saved hosts…</p>
      </div>
    );
  }
  if (!isLocal && !host) {
    return (
      <div className="view">
        <EmptyState title="No such host">
          It may have been removed. <a href="#/fleet">Go back to the fleet</a> to see the hosts Hyperion
          watches.
        </EmptyState>
      </div>
    );
  }

  const remove = async () => {
    if (!host) return;
    if (!window.confirm(`Stop watching ${host.name} and forget it (and its stored password or passphrase)?`))
      return;
    try {
      await client.call('hosts.remove', { id: host.id });
      onRemoved();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const reconnect = () =>
    void client.call('hosts.reconnect', { id: hostId }).catch((err: Error) => setError(err.message));
  const needsKey =
    status && (status.state === 'host_key_unknown' || status.state === 'host_key_mismatch') && status.hostKey;

  return (
    <HostClockProvider value={known?.facts.clock}>
      {host && (
        <div className="host-bar" data-testid="host-bar">
          <div className="host-bar-state">
            {status && <StateBadge state={status.state} message={status.message} />}
            <span className="muted" data-testid="host-status-message">
              {status?.message}
            </span>
          </div>
          <div className="actions">
            {status?.rttMs != null && <span className="muted small">RTT {status.rttMs.toFixed(0)} ms</span>}
            {status?.wireBytesPerSec != null && (
              <span
                className="muted small"
                title="Bytes per second on the wire for monitoring this host, and the sampler's CPU on it"
              >
                cost {formatBytesPerSec(status.wireBytesPerSec)}
                {status.samplerCpuPercent != null &&
                  `, ${formatPercent(status.samplerCpuPercent)} CPU on host`}
              </span>
            )}
            {needsKey && (
              <button
                type="button"
                className="primary"
                onClick={() => setKeyPromptOpen(true)}
                data-testid="review-key"
              >
                {status.state === 'host_key_mismatch' ? 'Review the changed key' : 'Verify host key'}
              </button>
            )}
            {status && status.state !== 'up' && status.state !== 'connecting' && (
              <button type="button" onClick={reconnect}>
                Connect now
              </button>
            )}
            <button type="button" onClick={() => onEdit(host)}>
              Edit
            </button>
            <button type="button" className="danger" onClick={remove}>
              Remove
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="view host-view">
        <HostHeading hostId={hostId} host={host} />
        <HostTabs
          hostId={hostId}
          tabId={tab?.id ?? tabId ?? ''}
          tab={tab}
          host={host}
          status={status}
          metricsBar={
            <div className="range-bar">
              <TimeRangePicker intervalMs={known?.intervalMs} />
            </div>
          }
        />
      </div>
      {keyPromptOpen && host && status && (
        <HostKeyPrompt host={host} status={status} onClose={() => setKeyPromptOpen(false)} />
      )}
    </HostClockProvider>
  );
}

/** The host's name and facts (kept from the last samples, so tool tabs show them too). */
function HostHeading({ hostId, host }: { hostId: string; host: Host | undefined }) {
  const known = useKnownFacts(hostId);
  const facts = known?.facts;
  return (
    <header className="view-header">
      <div>
        <h1>{host?.name ?? (hostId === 'local' ? 'This computer' : hostId)}</h1>
        <p className="muted" data-testid="host-facts-line">
          {host && `${host.username}@${host.address}${host.port !== 22 ? `:${host.port}` : ''}`}
          {host && facts && ' · '}
          {facts &&
            `${facts.hostname} · ${facts.os} · kernel ${facts.kernel} · ${facts.cores} CPUs · up ${formatUptime(facts.uptimeSec)}`}
        </p>
      </div>
    </header>
  );
}
