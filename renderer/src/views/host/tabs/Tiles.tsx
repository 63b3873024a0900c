// Headline figures of a host: a label, the value with its unit, and a bar where it is a share.
import type { Sample } from '../../../../../common/schemas/sample';
import { formatLoad, formatPercent } from '../../../lib/format';

export function Tile(props: { label: string; value: string; testId: string; bar?: number }) {
  return (
    <div className="tile" role="listitem">
      <div className="tile-label">{props.label}</div>
      <div className="tile-value" data-testid={props.testId}>
        {props.value}
      </div>
      {props.bar !== undefined && (
        <div
          className="bar"
          role="meter"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(props.bar)}
          aria-label={props.label}
        >
          <div className="bar-fill" style={{ width: `${Math.min(100, props.bar)}%` }} />
        </div>
      )}
    </div>
  );
}

export function CpuTiles({ sample }: { sample: Sample }) {
  const { cpu } = sample;
  return (
    <div className="tiles" role="list">
      <Tile
        label="CPU in use"
        value={formatPercent(cpu.total.usage)}
        testId="cpu-total"
        bar={cpu.total.usage}
      />
      <Tile label="Load 1 / 5 / 15 min" value={cpu.load.map(formatLoad).join(' / ')} testId="cpu-load" />
      <Tile label="I/O wait" value={formatPercent(cpu.total.iowait)} testId="cpu-iowait" />
      <Tile label="Steal" value={formatPercent(cpu.total.steal)} testId="cpu-steal" />
    </div>
  );
}
