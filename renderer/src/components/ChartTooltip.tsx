// The tooltip shared by time charts: time with its zone, then each series with its unit.
import { useTimeFormat } from '../hooks/useTimeRange';

export interface TooltipRow {
  name: string;
  color: string;
  value: string;
}

interface Payload {
  name?: string | number;
  dataKey?: unknown;
  value?: unknown;
  color?: string;
}

export function makeTooltip(format: (value: number, key: string) => string) {
  return function ChartTooltip(props: { active?: boolean; label?: unknown; payload?: readonly Payload[] }) {
    const { active, label, payload } = props;
    const time = useTimeFormat();
    if (!active || !payload?.length || typeof label !== 'number') return null;
    return (
      <div className="chart-tooltip" role="status">
        <div className="chart-tooltip-time">
          {time.clock(label)} <span className="muted">{time.label(label)}</span>
        </div>
        {[...payload].reverse().map((p) => (
          <div key={String(p.dataKey)} className="chart-tooltip-row">
            <span className="swatch" style={{ background: p.color }} aria-hidden />
            <span>{p.name}</span>
            <span className="chart-tooltip-value">
              {typeof p.value === 'number' ? format(p.value, String(p.dataKey)) : '–'}
            </span>
          </div>
        ))}
      </div>
    );
  };
}
