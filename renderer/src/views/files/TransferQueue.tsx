// The transfer queue: every upload and download of this session with a progress bar, speed, time
// left, state and a cancel button, kept live by the files.transfers stream.
import { useEffect, useState } from 'react';
import type { Transfer } from '../../../../common/schemas/files';
import { useClient } from '../../api/context';
import { formatBytes, formatBytesPerSec } from '../../lib/format';
import { visibleName } from './file-rows';

export function useTransfers(): Transfer[] {
  const client = useClient();
  const [transfers, setTransfers] = useState<Map<string, Transfer>>(new Map());
  useEffect(
    () =>
      client.subscribe(
        'files.transfers',
        {},
        {
          onEvent: (event) =>
            setTransfers((current) => {
              const next = new Map(event.snapshot ? [] : current);
              for (const t of event.transfers) next.set(t.id, t);
              return next;
            }),
        },
      ),
    [client],
  );
  return [...transfers.values()].sort((a, b) => b.startedAt - a.startedAt);
}

function timeLeft(t: Transfer): string {
  if (t.state !== 'running' || !t.bytesTotal || t.bytesPerSec <= 0) return '';
  const sec = Math.max(0, (t.bytesTotal - t.bytesDone) / t.bytesPerSec);
  return sec < 60 ? `${Math.ceil(sec)} s left` : `${Math.floor(sec / 60)} min ${Math.ceil(sec % 60)} s left`;
}

const STATE: Record<Transfer['state'], { icon: string; label: string }> = {
  queued: { icon: '…', label: 'Waiting' },
  running: { icon: '⇅', label: 'Running' },
  succeeded: { icon: '✓', label: 'Done' },
  failed: { icon: '✕', label: 'Failed' },
  cancelled: { icon: '■', label: 'Cancelled' },
};

export function TransferQueue(props: { transfers: Transfer[]; onCancel: (t: Transfer) => void }) {
  const client = useClient();
  if (props.transfers.length === 0) return null;
  const finished = props.transfers.some((t) => t.finishedAt !== null);
  return (
    <section className="panel transfer-queue" aria-label="Transfers" data-testid="transfer-queue">
      <header className="panel-header">
        <h2>Transfers</h2>
        {finished && (
          <button
            type="button"
            className="small"
            onClick={() => void client.call('files.clearTransfers', {})}
          >
            Clear finished
          </button>
        )}
      </header>
      <ul className="transfer-list">
        {props.transfers.map((t) => {
          const percent = t.bytesTotal
            ? Math.min(100, (t.bytesDone / t.bytesTotal) * 100)
            : t.state === 'succeeded'
              ? 100
              : 0;
          const state = STATE[t.state];
          return (
            <li
              key={t.id}
              className={`transfer transfer-${t.state}`}
              data-testid="transfer"
              data-state={t.state}
            >
              <span className="transfer-direction" aria-label={t.direction}>
                {t.direction === 'upload' ? '↑' : '↓'}
              </span>
              <div className="transfer-main">
                <div className="transfer-title">
                  <span className="file-name">{visibleName(t.name)}</span>
                  <span className="muted small">
                    {t.direction === 'upload' ? 'to' : 'from'} {t.hostName}:{visibleName(t.remotePath)}
                  </span>
                </div>
                <div
                  className="bar transfer-bar"
                  role="progressbar"
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(percent)}
                  aria-label={`${visibleName(t.name)} progress`}
                >
                  <div className="bar-fill" style={{ width: `${percent}%` }} />
                </div>
                <div className="transfer-figures small">
                  <span>
                    {state.icon} {state.label}
                  </span>
                  <span>
                    {formatBytes(t.bytesDone)}
                    {t.bytesTotal !== null ? ` of ${formatBytes(t.bytesTotal)}` : ''}
                  </span>
                  {t.filesTotal !== null && t.filesTotal > 1 && (
                    <span>
                      {t.filesDone} of {t.filesTotal} files
                    </span>
                  )}
                  {t.state === 'running' && <span>{formatBytesPerSec(t.bytesPerSec)}</span>}
                  <span>{timeLeft(t)}</span>
                  {t.current && t.state === 'running' && (
                    <span className="muted">{visibleName(t.current)}</span>
                  )}
                  {t.error && (
                    <span className="transfer-error" role="alert">
                      {t.error}
                    </span>
                  )}
                </div>
              </div>
              {(t.state === 'running' || t.state === 'queued') && (
                <button
                  type="button"
                  onClick={() => props.onCancel(t)}
                  aria-label={`Cancel ${visibleName(t.name)}`}
                  data-testid="cancel-transfer"
                >
                  Cancel
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
