// Storage: space per mount with thresholds, then per device throughput and IOPS mirrored (read above,
// write below) beside busy % on a fixed 0–100 axis, one small multiple per device.
import { memo, useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Sample } from '../../../../../common/schemas/sample';
import { makeTooltip } from '../../../components/ChartTooltip';
import { MirroredChart, MirroredLegend, twoWay } from '../../../components/MirroredChart';
import { Panel } from '../../../components/Panel';
import { formatBytesPerSec, formatPercent } from '../../../lib/format';
import { deviceRows, formatByteRate, formatPerSec, isActive, type DeviceRow } from './rows';
import { SpaceBars } from './SpaceBars';
import { CHART_GRID } from '../../../lib/chart-props';
import { useTimeChart } from '../../../hooks/useTimeChart';

const BYTES = twoWay('read', 'read', 'write', 'write');
const IOPS = twoWay('readIops', 'read', 'writeIops', 'write');
const formatIops = (v: number): string => formatPerSec(v, 'IOPS');
const BusyTip = makeTooltip((v) => formatPercent(v));

export function DisksTab({ samples, syncId }: { samples: Sample[]; syncId: string }) {
  const { filesystems, devices } = samples[samples.length - 1]!.disks;
  return (
    <div className="panel-grid">
      <Panel title="Disk space" unit="% used, binary bytes" wide testId="filesystems-panel">
        <SpaceBars filesystems={filesystems} />
      </Panel>
      <Panel
        title="Disk I/O"
        unit="binary bytes/s, IOPS, % busy"
        wide
        note={<MirroredLegend series={BYTES} />}
        testId="devices-panel"
      >
        {devices.length === 0 ? (
          <p className="muted">No block device reported.</p>
        ) : (
          <>
            <table className="compact-table">
              <thead>
                <tr>
                  <th>Device</th>
                  <th className="num">Read</th>
                  <th className="num">Write</th>
                  <th className="num">IOPS read / write</th>
                  <th className="num">Busy</th>
                </tr>
              </thead>
              <tbody>
                {devices.map((d) => (
                  <tr key={d.name}>
                    <td>{d.name}</td>
                    <td className="num">{formatBytesPerSec(d.readBytesPerSec)}</td>
                    <td className="num">{formatBytesPerSec(d.writeBytesPerSec)}</td>
                    <td className="num">
                      {formatPerSec(d.readIops, '').trim()} / {formatIops(d.writeIops)}
                    </td>
                    <td className="num">{formatPercent(d.busyPercent)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className={devices.length > 1 ? 'device-multiples' : undefined}>
              {devices.map((d) => (
                <DeviceCharts key={d.name} samples={samples} name={d.name} syncId={syncId} />
              ))}
            </div>
          </>
        )}
      </Panel>
    </div>
  );
}

function DeviceCharts(props: { samples: Sample[]; name: string; syncId: string }) {
  const rows = useMemo(() => deviceRows(props.samples, props.name), [props.samples, props.name]);
  if (!isActive(rows, ['read', 'write', 'readIops', 'writeIops', 'busy'])) {
    return (
      <p className="muted small idle-line" data-testid={`device-${props.name}`}>
        <strong>{props.name}</strong>: idle, no I/O in the last {rows.length} samples.
      </p>
    );
  }
  return (
    <section className="device-cell" aria-label={`Device ${props.name}`} data-testid={`device-${props.name}`}>
      <h3>{props.name}</h3>
      <div className="chart-row">
        <figure className="small-chart">
          <figcaption>
            Throughput <span className="panel-unit">(binary bytes/s, read ↑ write ↓)</span>
          </figcaption>
          <MirroredChart
            rows={rows}
            series={BYTES}
            format={formatByteRate}
            syncId={props.syncId}
            height={120}
          />
        </figure>
        <figure className="small-chart">
          <figcaption>
            Operations <span className="panel-unit">(IOPS, read ↑ write ↓)</span>
          </figcaption>
          <MirroredChart rows={rows} series={IOPS} format={formatIops} syncId={props.syncId} height={120} />
        </figure>
        <figure className="small-chart">
          <figcaption>
            Busy <span className="panel-unit">(% of time with I/O in flight)</span>
          </figcaption>
          <BusyChart rows={rows} syncId={props.syncId} />
        </figure>
      </div>
    </section>
  );
}

const BusyChart = memo(function BusyChart({ rows, syncId }: { rows: DeviceRow[]; syncId: string }) {
  const time = useTimeChart(syncId);
  return (
    <ResponsiveContainer width="100%" height={120}>
      <AreaChart data={rows} margin={{ top: 6, right: 12, bottom: 0, left: 0 }} {...time.chart}>
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...time.axis} />
        <YAxis
          domain={[0, 100]}
          ticks={[0, 50, 100]}
          unit=" %"
          width={48}
          stroke="var(--axis)"
          fontSize={11}
          allowDataOverflow
        />
        <Tooltip content={BusyTip} isAnimationActive={false} />
        <Area
          dataKey="busy"
          name="busy"
          type="linear"
          stroke="var(--c-s5)"
          fill="var(--c-s5)"
          fillOpacity={0.35}
          strokeWidth={1}
          dot={false}
          isAnimationActive={false}
        />
        {time.selection}
      </AreaChart>
    </ResponsiveContainer>
  );
});
