// Props every live time chart shares, so each chart states only what is its own.
import { formatClock } from './format';

/** The x axis of a live chart: time, from the first sample to the last, clock labels. */
export const LIVE_TIME_AXIS = {
  dataKey: 'ts',
  type: 'number',
  scale: 'time',
  domain: ['dataMin', 'dataMax'],
  tickFormatter: formatClock,
  stroke: 'var(--axis)',
  minTickGap: 48,
} as const;

/** Horizontal grid lines only. */
export const CHART_GRID = { stroke: 'var(--grid)', vertical: false } as const;
