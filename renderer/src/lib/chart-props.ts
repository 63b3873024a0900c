// Props every time chart shares, so each chart states only what is its own (the x axis, zoom and
// crosshair come from hooks/useTimeChart.tsx).

/** Horizontal grid lines only. */
export const CHART_GRID = { stroke: 'var(--grid)', vertical: false } as const;
