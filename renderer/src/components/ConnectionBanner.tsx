// Says plainly when the connection to the core is lost, that it is retrying, and when it is back.
import { useEffect, useState } from 'react';
import { useConnectionStatus } from '../api/context';

export function ConnectionBanner() {
  const status = useConnectionStatus();
  const [showBack, setShowBack] = useState(false);
  useEffect(() => {
    if (status.state !== 'open' || !status.everLost) return;
    setShowBack(true);
    const timer = setTimeout(() => setShowBack(false), 4000);
    return () => clearTimeout(timer);
  }, [status.state, status.everLost]);

  if (status.state === 'closed') {
    const seconds = status.retry ? Math.max(1, Math.round(status.retry.nextRetryMs / 1000)) : undefined;
    return (
      <div className="connection-lost" role="alert" data-testid="connection-lost">
        <div className="connection-lost-card">
          <strong>Connection to Hyperion lost</strong>
          <p>
            The charts are paused and nothing you see is current.{' '}
            {seconds !== undefined
              ? `Reconnecting (attempt ${status.retry?.attempt}, next try in ${seconds} s)…`
              : 'Reconnecting…'}
          </p>
        </div>
      </div>
    );
  }
  if (showBack) {
    return (
      <div className="toast" role="status" data-testid="connection-restored">
        Reconnected — live again.
      </div>
    );
  }
  return null;
}

export function ConnectionPill() {
  const status = useConnectionStatus();
  const label =
    status.state === 'open' ? 'CONNECTED' : status.state === 'connecting' ? 'CONNECTING' : 'OFFLINE';
  return (
    <span className={`pill pill-${status.state}`} data-testid="connection-pill">
      <span className="pill-dot" aria-hidden /> {label}
    </span>
  );
}
