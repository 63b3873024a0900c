// A tiny trend line for a table cell: one SVG path, no chart library, cheap to redraw each second
// for every row of the fleet.
import { memo } from 'react';

interface Props {
  ts: readonly number[];
  values: readonly number[];
  /** The time span drawn, ending at the newest point (the host's clock, not the browser's). */
  windowMs: number;
  /** A fixed top of the scale (100 for percentages); otherwise the largest value, from zero. */
  max?: number;
  /** Points further apart than this are not joined: the host was not sampled in between. */
  gapMs?: number;
  width?: number;
  height?: number;
}

/** The path's "d": a segment per run of finite values, x by time, y from 0 at the bottom. */
export function sparklinePath(
  ts: readonly number[],
  values: readonly number[],
  opts: { windowMs: number; max: number; gapMs: number; width: number; height: number },
): string {
  const n = Math.min(ts.length, values.length);
  if (n === 0) return '';
  const end = ts[n - 1]!;
  const start = end - opts.windowMs;
  const top = opts.max > 0 ? opts.max : 1;
  // Keep the stroke inside the box: half a pixel margin top and bottom.
  const h = opts.height - 1;
  let d = '';
  let previous = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const t = ts[i]!;
    if (!Number.isFinite(v) || t < start) {
      previous = -Infinity;
      continue;
    }
    const x = ((t - start) / opts.windowMs) * opts.width;
    const y = 0.5 + h - (Math.min(Math.max(v, 0), top) / top) * h;
    d += `${t - previous > opts.gapMs ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`;
    previous = t;
  }
  return d;
}

export const Sparkline = memo(function Sparkline({
  ts,
  values,
  windowMs,
  max,
  gapMs = 3000,
  width = 48,
  height = 18,
}: Props) {
  let top = max;
  if (top === undefined) {
    top = 0;
    for (const v of values) if (Number.isFinite(v) && v > top) top = v;
  }
  const d = sparklinePath(ts, values, { windowMs, max: top, gapMs, width, height });
  // Hidden from screen readers: the figure beside it says what they need; the trend is for the eye.
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden>
      <line className="sparkline-base" x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} />
      {d && <path d={d} />}
    </svg>
  );
});
