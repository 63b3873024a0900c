// Memory, storage and network of one host at a glance (the detailed charts come with the dashboard).
import type { Sample } from '../../../../common/schemas/sample';
import { Panel } from '../../components/Panel';
import { formatBitsPerSec, formatBytes, formatBytesPerSec, formatPercent } from '../../lib/format';

export function HostSummary({ sample }: { sample: Sample }) {
  const { memory, network, disks } = sample;
  const memPercent = memory.totalBytes ? (memory.usedBytes / memory.totalBytes) * 100 : 0;
  const swapPercent = memory.swapTotalBytes ? (memory.swapUsedBytes / memory.swapTotalBytes) * 100 : 0;
  return (
    <div className="panel-grid">
      <Panel title="Memory" unit="binary bytes" testId="memory-panel">
        <dl className="facts" data-testid="memory-facts">
          <dt>Used</dt>
          <dd>
            {formatBytes(memory.usedBytes)} of {formatBytes(memory.totalBytes)} ({formatPercent(memPercent)})
          </dd>
          <dt>Available</dt>
          <dd>{formatBytes(memory.availableBytes)}</dd>
          <dt>Cache / buffers</dt>
          <dd>
            {formatBytes(memory.cachedBytes)} / {formatBytes(memory.buffersBytes)}
          </dd>
          <dt>Swap</dt>
          <dd>
            {memory.swapTotalBytes === 0
              ? 'none configured'
              : `${formatBytes(memory.swapUsedBytes)} of ${formatBytes(memory.swapTotalBytes)} (${formatPercent(swapPercent)}), in ${formatBytesPerSec(memory.swapInBytesPerSec)}, out ${formatBytesPerSec(memory.swapOutBytesPerSec)}`}
          </dd>
        </dl>
      </Panel>
      <Panel title="Disk space" testId="filesystems-panel">
        {disks.filesystems.length === 0 ? (
          <p className="muted">No local filesystem reported.</p>
        ) : (
          <table className="compact-table">
            <thead>
              <tr>
                <th>Mount</th>
                <th>Used</th>
                <th className="num">Free</th>
                <th className="num">Size</th>
              </tr>
            </thead>
            <tbody>
              {disks.filesystems.map((fs) => (
                <tr key={fs.mount}>
                  <td title={`${fs.device} (${fs.fsType})`}>{fs.mount}</td>
                  <td>
                    <span
                      className="mini-bar"
                      role="meter"
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-valuenow={fs.usedPercent}
                      aria-label={`${fs.mount} used`}
                    >
                      <span
                        className={`mini-bar-fill tone-${fs.usedPercent >= 90 ? 'bad' : fs.usedPercent >= 80 ? 'warn' : 'ok'}`}
                        style={{ width: `${fs.usedPercent}%` }}
                      />
                    </span>{' '}
                    {formatPercent(fs.usedPercent)}
                  </td>
                  <td className="num">{formatBytes(fs.freeBytes)}</td>
                  <td className="num">{formatBytes(fs.sizeBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel title="Disk I/O" testId="devices-panel">
        {disks.devices.length === 0 ? (
          <p className="muted">No block device reported.</p>
        ) : (
          <table className="compact-table">
            <thead>
              <tr>
                <th>Device</th>
                <th className="num">Read</th>
                <th className="num">Write</th>
                <th className="num">IOPS r / w</th>
                <th className="num">Busy</th>
              </tr>
            </thead>
            <tbody>
              {disks.devices.map((d) => (
                <tr key={d.name}>
                  <td>{d.name}</td>
                  <td className="num">{formatBytesPerSec(d.readBytesPerSec)}</td>
                  <td className="num">{formatBytesPerSec(d.writeBytesPerSec)}</td>
                  <td className="num">
                    {d.readIops.toFixed(0)} / {d.writeIops.toFixed(0)}
                  </td>
                  <td className="num">{formatPercent(d.busyPercent)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel title="Network" unit="decimal bits per second" testId="network-panel">
        <table className="compact-table">
          <thead>
            <tr>
              <th>Interface</th>
              <th className="num">In</th>
              <th className="num">Out</th>
              <th className="num">Packets in / out</th>
              <th className="num">Errors / drops</th>
            </tr>
          </thead>
          <tbody>
            {network.interfaces.map((i) => (
              <tr key={i.name}>
                <td>{i.name}</td>
                <td className="num">{formatBitsPerSec(i.rxBytesPerSec)}</td>
                <td className="num">{formatBitsPerSec(i.txBytesPerSec)}</td>
                <td className="num">
                  {i.rxPacketsPerSec.toFixed(0)} / {i.txPacketsPerSec.toFixed(0)} /s
                </td>
                <td
                  className={`num${i.rxErrorsPerSec + i.txErrorsPerSec + i.rxDropsPerSec + i.txDropsPerSec > 0 ? ' tone-bad' : ''}`}
                >
                  {(i.rxErrorsPerSec + i.txErrorsPerSec).toFixed(1)} /{' '}
                  {(i.rxDropsPerSec + i.txDropsPerSec).toFixed(1)} /s
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}
