// The app-wide time range (UI.md 12–15): a LIVE / PAUSED pill that pauses and resumes, presets,
// pan and zoom out, exact from/to typed in the zone shown, the zone toggle (local / host / UTC),
// the crosshair switch, and "now" by the core's clock (or the host's, in host time).
import { useEffect, useState, type FormEvent } from 'react';
import {
  describeRange,
  pannedRange,
  pausedRange,
  PRESET_LIST,
  useHostClock,
  useTimeFormat,
  useTimeRange,
  zoomedOutRange,
} from '../hooks/useTimeRange';
import { serverNow } from '../lib/server-clock';
import { fromWallClock, toWallClockInput, ZONE_CHOICES, type ZoneChoice } from '../lib/time-zone';
import './time-range.css';

export function TimeRangePicker({ intervalMs }: { intervalMs?: number | undefined }) {
  const { range, setRange, zoneChoice, setZoneChoice, crosshair, setCrosshair } = useTimeRange();
  const format = useTimeFormat();
  const hostClock = useHostClock();
  const [custom, setCustom] = useState(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string>();
  const paused = range.kind === 'paused' || range.kind === 'absolute';

  const openCustom = () => {
    if (!custom) {
      const now = serverNow();
      setFrom(toWallClockInput(format.zone, range.kind === 'absolute' ? range.from : now - 3_600_000));
      setTo(toWallClockInput(format.zone, range.kind === 'absolute' ? range.to : now));
      setError(undefined);
    }
    setCustom((c) => !c);
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const f = fromWallClock(format.zone, from);
    const t = fromWallClock(format.zone, to);
    if (!Number.isFinite(f) || !Number.isFinite(t)) {
      setError('Enter both times as date and time.');
      return;
    }
    if (t <= f) {
      setError('"To" must be after "from".');
      return;
    }
    if (f > serverNow()) {
      setError('"From" is in the future: nothing is stored there yet.');
      return;
    }
    setError(undefined);
    setRange({ kind: 'absolute', from: f, to: t });
    setCustom(false);
  };

  return (
    <div className="time-range-bar">
      <div className="time-range" role="group" aria-label="Time range">
        <button
          type="button"
          className={`pill-button live-pill${range.kind === 'live' ? ' active' : ''}${paused ? ' paused' : ''}`}
          onClick={() => setRange(range.kind === 'live' ? pausedRange(serverNow()) : { kind: 'live' })}
          data-testid="range-live"
          aria-pressed={range.kind === 'live'}
          aria-keyshortcuts="p"
          title={
            range.kind === 'live' ? 'Pause live updates (p)' : 'Back to live (p, or double-click a chart)'
          }
        >
          {range.kind === 'live' ? (
            <>
              <span className="live-dot" aria-hidden /> LIVE
            </>
          ) : paused ? (
            <>
              <span aria-hidden>❚❚</span> PAUSED <span className="pill-hint">▶ resume</span>
            </>
          ) : (
            <>
              <span aria-hidden>▶</span> LIVE
            </>
          )}
        </button>
        {PRESET_LIST.map((p) => (
          <button
            key={p.id}
            type="button"
            className={`pill-button${range.kind === 'preset' && range.preset === p.id ? ' active' : ''}`}
            onClick={() => setRange({ kind: 'preset', preset: p.id })}
            aria-pressed={range.kind === 'preset' && range.preset === p.id}
            title={`${p.title} (, and . step through the ranges)`}
            data-testid={`range-${p.id}`}
          >
            {p.label}
          </button>
        ))}
        <button
          type="button"
          className={`pill-button${range.kind === 'absolute' ? ' active' : ''}`}
          onClick={openCustom}
          aria-expanded={custom}
          data-testid="range-custom"
        >
          Custom…
        </button>
        <span className="range-nav" role="group" aria-label="Move the range">
          <button
            type="button"
            className="pill-button"
            onClick={() => setRange(pannedRange(range, -1, serverNow(), format.zone))}
            title="Earlier by half the span ([)"
            aria-label="Earlier"
            aria-keyshortcuts="["
            data-testid="range-earlier"
          >
            ◀
          </button>
          <button
            type="button"
            className="pill-button"
            onClick={() => setRange(zoomedOutRange(range, serverNow(), format.zone))}
            title="Zoom out: twice the span (-)"
            aria-label="Zoom out"
            aria-keyshortcuts="-"
            data-testid="range-zoom-out"
          >
            −
          </button>
          <button
            type="button"
            className="pill-button"
            onClick={() => setRange(pannedRange(range, 1, serverNow(), format.zone))}
            title="Later by half the span (])"
            aria-label="Later"
            aria-keyshortcuts="]"
            disabled={range.kind === 'live'}
            data-testid="range-later"
          >
            ▶
          </button>
        </span>
      </div>
      <div className="time-options">
        <span className="zone-toggle" role="radiogroup" aria-label="Show times in">
          {ZONE_CHOICES.map((z) => {
            const disabled = z.id === 'host' && !hostClock;
            return (
              <button
                key={z.id}
                type="button"
                role="radio"
                aria-checked={zoneChoice === z.id}
                className={`zone-option${zoneChoice === z.id ? ' active' : ''}`}
                onClick={() => setZoneChoice(z.id as ZoneChoice)}
                disabled={disabled}
                title={
                  disabled
                    ? 'The host’s zone is known once its first facts arrive'
                    : z.id === 'local'
                      ? 'This computer’s time zone'
                      : z.id === 'host'
                        ? 'The host’s time zone and clock, as in its own logs'
                        : 'Coordinated Universal Time'
                }
                data-testid={`zone-${z.id}`}
              >
                {z.label}
              </button>
            );
          })}
        </span>
        <label className="inline toggle small">
          <input
            type="checkbox"
            checked={crosshair}
            onChange={(e) => setCrosshair(e.target.checked)}
            data-testid="crosshair-toggle"
          />
          Crosshair
        </label>
      </div>
      <RangeSummary intervalMs={intervalMs} />
      {custom && (
        <form className="custom-range" onSubmit={apply} data-testid="custom-range">
          <label>
            From{' '}
            <input
              type="datetime-local"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="custom-from"
            />
          </label>
          <label>
            To{' '}
            <input
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              data-testid="custom-to"
            />
          </label>
          <span className="muted small">
            {format.label(serverNow())} ({format.zone.description})
          </span>
          <button type="submit" className="primary">
            Show
          </button>
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
    </div>
  );
}

/** What the charts show, in words, with the zone and the core's (or host's) "now", ticking. */
function RangeSummary({ intervalMs }: { intervalMs: number | undefined }) {
  const { range } = useTimeRange();
  const format = useTimeFormat();
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p className="range-summary muted small" data-testid="range-summary" aria-live="off">
      <span data-testid="range-description">
        {describeRange(range, format, now)}
        {range.kind === 'live' && intervalMs ? `, a sample every ${Math.round(intervalMs / 1000)} s` : ''}
      </span>{' '}
      · times in <strong data-testid="zone-label">{format.label(now)}</strong> ({format.zone.description}) ·
      now{' '}
      <time dateTime={new Date(now).toISOString()} data-testid="zone-now">
        {format.clock(now)}
      </time>
    </p>
  );
}
