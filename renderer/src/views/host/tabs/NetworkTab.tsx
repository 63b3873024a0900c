// Network per interface: bandwidth in bits/s and packets/s mirrored (in above, out below), errors and
// drops as their own chart; loopback hidden unless asked for.
import { useId, useMemo, useState } from 'react';
import type { Sample } from '../../../../../common/schemas/sample';
import {
  MirroredChart,
  MirroredLegend,
  twoWay,
  type MirroredSeries,
} from '../../../components/MirroredChart';
import { Panel } from '../../../components/Panel';
import { formatNetRate, networkUnitLabel } from '../../../lib/format';
import {
  formatBitRate,
  formatPerSec,
  interfaceNames,
  interfaceRows,
  isActive,
  isLoopback,
  noErrors,
} from './rows';

const BITS = twoWay('bitsIn', 'in', 'bitsOut', 'out');
const PACKETS = twoWay('packetsIn', 'in', 'packetsOut', 'out');
const ERRORS: MirroredSeries[] = [
  { key: 'errorsIn', name: 'errors in', color: 'var(--bad)' },
  { key: 'dropsIn', name: 'drops in', color: 'var(--warn)' },
  { key: 'errorsOut', name: 'errors out', color: 'var(--c-s2)', down: true },
  { key: 'dropsOut', name: 'drops out', color: 'var(--c-s6)', down: true },
];
const formatPackets = (v: number): string => formatPerSec(v, 'pkt/s');
const formatErrors = (v: number): string => formatPerSec(v, '/s');

export function NetworkTab({ samples, syncId }: { samples: Sample[]; syncId: string }) {
  const [showLoopback, setShowLoopback] = useState(false);
  const toggleId = useId();
  const latest = samples[samples.length - 1]!;
  const names = interfaceNames(samples, showLoopback);
  const hidden = latest.network.interfaces.filter((i) => isLoopback(i.name)).length;
  const shown = latest.network.interfaces.filter((i) => showLoopback || !isLoopback(i.name));
  return (
    <div className="panel-grid">
      <Panel
        title="Interfaces now"
        unit={`${networkUnitLabel()}, packets/s`}
        wide
        testId="network-panel"
        note={
          <label className="toggle" htmlFor={toggleId}>
            <input
              id={toggleId}
              type="checkbox"
              checked={showLoopback}
              onChange={(e) => setShowLoopback(e.target.checked)}
              data-testid="show-loopback"
            />{' '}
            Show loopback (lo){!showLoopback && hidden > 0 ? ' — hidden' : ''}
          </label>
        }
      >
        {shown.length === 0 ? (
          <p className="muted">No network interface reported{hidden ? ' besides loopback' : ''}.</p>
        ) : (
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
              {shown.map((i) => {
                const errors = i.rxErrorsPerSec + i.txErrorsPerSec;
                const drops = i.rxDropsPerSec + i.txDropsPerSec;
                return (
                  <tr key={i.name}>
                    <td>{i.name}</td>
                    <td className="num">{formatNetRate(i.rxBytesPerSec)}</td>
                    <td className="num">{formatNetRate(i.txBytesPerSec)}</td>
                    <td className="num">
                      {formatPerSec(i.rxPacketsPerSec, '').trim()} /{' '}
                      {formatPerSec(i.txPacketsPerSec, 'pkt/s')}
                    </td>
                    <td className={`num${errors + drops > 0 ? ' tone-bad' : ''}`}>
                      {errors + drops > 0 && <span aria-hidden>▲ </span>}
                      {errors.toFixed(1)} / {drops.toFixed(1)} /s
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Panel>
      {names.map((name) => (
        <InterfaceCharts key={name} samples={samples} name={name} syncId={syncId} />
      ))}
    </div>
  );
}

export function InterfaceCharts(props: { samples: Sample[]; name: string; syncId: string }) {
  const rows = useMemo(() => interfaceRows(props.samples, props.name), [props.samples, props.name]);
  const clean = noErrors(rows);
  if (clean && !isActive(rows, ['bitsIn', 'bitsOut', 'packetsIn', 'packetsOut'])) {
    return (
      <p className="muted small idle-line" data-testid={`interface-${props.name}`}>
        <strong>{props.name}</strong>: no traffic, errors or drops in the last {rows.length} samples.
      </p>
    );
  }
  return (
    <Panel title={props.name} wide testId={`interface-${props.name}`}>
      <div className="chart-row">
        <figure className="small-chart">
          <figcaption>
            Bandwidth <span className="panel-unit">({networkUnitLabel()})</span>
            <MirroredLegend series={BITS} />
          </figcaption>
          <MirroredChart
            rows={rows}
            series={BITS}
            format={formatBitRate}
            syncId={props.syncId}
            height={140}
          />
        </figure>
        <figure className="small-chart">
          <figcaption>
            Packets <span className="panel-unit">(packets/s)</span>
            <MirroredLegend series={PACKETS} />
          </figcaption>
          <MirroredChart
            rows={rows}
            series={PACKETS}
            format={formatPackets}
            syncId={props.syncId}
            height={140}
          />
        </figure>
        <figure className="small-chart" data-testid={`interface-${props.name}-errors`}>
          <figcaption>
            Errors and drops <span className="panel-unit">(per second)</span>
            {!clean && <MirroredLegend series={ERRORS} />}
          </figcaption>
          {clean ? (
            <p className="no-errors tone-ok" role="status">
              <span aria-hidden>✓</span> No errors or drops in the last {rows.length} samples
            </p>
          ) : (
            <MirroredChart
              rows={rows}
              series={ERRORS}
              format={formatErrors}
              syncId={props.syncId}
              height={140}
              lines
            />
          )}
        </figure>
      </div>
    </Panel>
  );
}
