// What every time chart shares: the x axis in the chosen zone, drag-to-zoom, double-click back to
// live, and one crosshair across every chart of the view (charts given the same syncId).
import { useMemo } from 'react';
import { ReferenceArea } from 'recharts';
import '../components/charts.css';
import { useDragZoom } from './useDragZoom';
import { useTimeFormat, useTimeRange } from './useTimeRange';

interface SyncTick {
  value?: unknown;
  index?: number | string;
}

/**
 * recharts' syncMethod: the tick of this chart nearest in time to the one pointed at elsewhere, so
 * charts with different sample times (history tiers, a sliced window) still line up; -1 (no tick) when
 * the nearest is further than two of this chart's steps.
 */
export function nearestTime(ticks: readonly SyncTick[], data: { activeLabel?: unknown }): number {
  const target = Number(data.activeLabel);
  if (!Number.isFinite(target) || ticks.length === 0) return -1;
  let lo = 0;
  let hi = ticks.length - 1;
  const at = (i: number) => Number(ticks[i]!.value);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) < target) lo = mid + 1;
    else hi = mid;
  }
  const best = lo > 0 && Math.abs(at(lo - 1) - target) <= Math.abs(at(lo) - target) ? lo - 1 : lo;
  const step = ticks.length > 1 ? (at(ticks.length - 1) - at(0)) / (ticks.length - 1) : 0;
  if (step > 0 && Math.abs(at(best) - target) > 2 * step) return -1;
  return best;
}

export function useTimeChart(syncId: string | undefined, options: { span?: number } = {}) {
  const format = useTimeFormat();
  const { crosshair } = useTimeRange();
  const zoom = useDragZoom();
  const tickFormatter = options.span !== undefined ? format.tick(options.span) : format.clock;
  const axis = useMemo(
    () =>
      ({
        dataKey: 'ts',
        type: 'number',
        scale: 'time',
        domain: ['dataMin', 'dataMax'],
        tickFormatter,
        stroke: 'var(--axis)',
        minTickGap: 48,
      }) as const,
    [tickFormatter],
  );
  return {
    /** Spread on the recharts chart element. */
    chart: {
      syncId: crosshair ? syncId : undefined,
      syncMethod: nearestTime,
      ...zoom.handlers,
    },
    axis,
    /** The span being dragged, as a chart child. */
    selection: zoom.selection ? (
      <ReferenceArea
        x1={zoom.selection.from}
        x2={zoom.selection.to}
        fill="var(--accent)"
        fillOpacity={0.15}
        ifOverflow="hidden"
      />
    ) : null,
    format,
  };
}
