// Live or a past range: presets, exact from/to, and a LIVE / HISTORY pill that returns to live.
import { useState, type FormEvent } from 'react';
import { PRESETS, useTimeRange, type Preset } from '../hooks/useTimeRange';
import { formatZone } from '../lib/format';

const toInput = (t: number): string => {
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

export function TimeRangePicker() {
  const { range, setRange } = useTimeRange();
  const [custom, setCustom] = useState(false);
  const [from, setFrom] = useState(() => toInput(Date.now() - 3_600_000));
  const [to, setTo] = useState(() => toInput(Date.now()));
  const [error, setError] = useState<string>();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const f = new Date(from).getTime();
    const t = new Date(to).getTime();
    if (!Number.isFinite(f) || !Number.isFinite(t) || t <= f) {
      setError('"To" must be after "from".');
      return;
    }
    setError(undefined);
    setRange({ kind: 'absolute', from: f, to: t });
    setCustom(false);
  };

  return (
    <div className="time-range" role="group" aria-label="Time range">
      <button
        type="button"
        className={`pill-button${range.kind === 'live' ? ' active' : ''}`}
        onClick={() => setRange({ kind: 'live' })}
        data-testid="range-live"
        title="Follow the newest samples"
      >
        {range.kind === 'live' ? '● LIVE' : '▶ Back to live'}
      </button>
      {(Object.keys(PRESETS) as Preset[]).map((p) => (
        <button
          key={p}
          type="button"
          className={`pill-button${range.kind === 'preset' && range.preset === p ? ' active' : ''}`}
          onClick={() => setRange({ kind: 'preset', preset: p })}
          data-testid={`range-${p}`}
        >
          {p}
        </button>
      ))}
      <button
        type="button"
        className={`pill-button${range.kind === 'absolute' ? ' active' : ''}`}
        onClick={() => setCustom((c) => !c)}
      >
        Custom…
      </button>
      {custom && (
        <form className="custom-range" onSubmit={apply}>
          <label>
            From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <span className="muted small">{formatZone()}</span>
          <button type="submit" className="primary">
            Show
          </button>
          {error && <span className="field-error">{error}</span>}
        </form>
      )}
    </div>
  );
}
