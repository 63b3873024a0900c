// What the host is (OS, kernel, CPUs, memory, uptime, zone and clock) and what watching it costs:
// bytes per second on the wire, the sampler's CPU on the host, the round trip.
import type { HostStatus } from '../../../../../common/schemas/hosts';
import type { Sample } from '../../../../../common/schemas/sample';
import { Panel } from '../../../components/Panel';
import {
  formatBytes,
  formatBytesPerSec,
  formatDuration,
  formatPercent,
  formatUptime,
} from '../../../lib/format';
import { offsetLabel } from '../../../lib/time-zone';

/** How far a host's clock is from Hyperion's, in words; undefined when under two seconds. */
export function describeClockOffset(offsetMs: number): { text: string; warn: boolean } | undefined {
  const abs = Math.abs(offsetMs);
  if (abs < 2_000) return undefined;
  return {
    text: `${formatDuration(abs)} ${offsetMs > 0 ? 'ahead of' : 'behind'} Hyperion’s clock`,
    // Past half a minute, log times and TLS start to disagree: worth a warning.
    warn: abs >= 30_000,
  };
}

export function HostFactsPanel({ sample, status }: { sample: Sample; status: HostStatus | undefined }) {
  const { host, memory } = sample;
  const clock = host.clock;
  const offset = clock ? describeClockOffset(clock.offsetMs) : undefined;
  const local = sample.hostId === 'local';
  const wire = status?.wireBytesPerSec ?? null;
  return (
    <Panel title="Host facts and monitoring cost" testId="host-facts-panel" wide>
      <div className="host-facts">
        <dl className="facts" data-testid="host-facts">
          <dt>Host name</dt>
          <dd>{host.hostname || '–'}</dd>
          <dt>System</dt>
          <dd>{host.os || '–'}</dd>
          <dt>Kernel</dt>
          <dd>{host.kernel || '–'}</dd>
          <dt>CPUs</dt>
          <dd>{host.cores} logical</dd>
          <dt>Memory</dt>
          <dd>{formatBytes(memory.totalBytes)}</dd>
          <dt>Up for</dt>
          <dd>{formatUptime(host.uptimeSec)}</dd>
          <dt>Time zone</dt>
          <dd data-testid="host-zone">
            {clock ? `${clock.timeZone ?? 'unnamed'} (${offsetLabel(clock.utcOffsetMin)})` : 'not known yet'}
            {offset && (
              <span className={offset.warn ? ' tone-warn' : ' muted'} data-testid="host-clock-offset">
                {' '}
                · {offset.warn ? '⚠ ' : ''}clock {offset.text}
              </span>
            )}
          </dd>
        </dl>
        <dl className="facts" data-testid="monitoring-cost">
          <dt>Sampled every</dt>
          <dd>{(sample.intervalMs / 1000).toFixed(sample.intervalMs < 10_000 ? 1 : 0)} s</dd>
          {local ? (
            <>
              <dt>How</dt>
              <dd>read directly from /proc and /sys: no network, nothing running on the host</dd>
            </>
          ) : (
            <>
              <dt title="SSH traffic for monitoring this host, both directions, compressed">On the wire</dt>
              <dd data-testid="cost-wire">
                {wire === null
                  ? 'measuring…'
                  : `${formatBytesPerSec(wire)} (≈ ${formatBytes(wire * 86_400)} a day)`}
              </dd>
              <dt title="The sampler shell's CPU time on the host, as a share of one core">
                Sampler CPU on the host
              </dt>
              <dd data-testid="cost-cpu">
                {status?.samplerCpuPercent == null
                  ? 'measuring…'
                  : `${formatPercent(status.samplerCpuPercent)} of a core`}
              </dd>
              <dt title="SSH keepalive round trip">Round trip</dt>
              <dd data-testid="cost-rtt">
                {status?.rttMs == null ? 'measuring…' : `${status.rttMs.toFixed(0)} ms`}
              </dd>
              <dt>Agent</dt>
              <dd>none: one SSH connection, one shell reading /proc</dd>
            </>
          )}
        </dl>
      </div>
    </Panel>
  );
}
