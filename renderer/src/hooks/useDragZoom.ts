// Drag across a time chart to zoom into that span (the app-wide range becomes exact from/to, which
// pauses live); double-click goes back to live.
import { useState } from 'react';
import { useTimeRange } from './useTimeRange';

/** What recharts passes to mouse handlers: the x value under the pointer, when there is one. */
interface ChartPointer {
  activeLabel?: string | number;
}

export interface DragZoom {
  /** The span being dragged, to draw as a highlighted area. */
  selection: { from: number; to: number } | undefined;
  handlers: {
    onMouseDown: (e: ChartPointer | null) => void;
    onMouseMove: (e: ChartPointer | null) => void;
    onMouseUp: () => void;
    onDoubleClick: () => void;
  };
}

/** A drag shorter than this (ms of chart time) is a click, not a zoom. */
const MIN_SPAN_MS = 2_000;

export function zoomSpan(a: number, b: number): { from: number; to: number } | undefined {
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  return to - from >= MIN_SPAN_MS ? { from: Math.floor(from), to: Math.ceil(to) } : undefined;
}

export function useDragZoom(): DragZoom {
  const { setRange } = useTimeRange();
  const [start, setStart] = useState<number>();
  const [end, setEnd] = useState<number>();
  const label = (e: ChartPointer | null): number | undefined =>
    e && typeof e.activeLabel === 'number'
      ? e.activeLabel
      : e?.activeLabel !== undefined
        ? Number(e.activeLabel)
        : undefined;
  return {
    selection:
      start !== undefined && end !== undefined
        ? { from: Math.min(start, end), to: Math.max(start, end) }
        : undefined,
    handlers: {
      onMouseDown: (e) => {
        const t = label(e);
        setStart(t);
        setEnd(t);
      },
      onMouseMove: (e) => {
        if (start !== undefined) setEnd(label(e) ?? end);
      },
      onMouseUp: () => {
        const span = start !== undefined && end !== undefined ? zoomSpan(start, end) : undefined;
        if (span) setRange({ kind: 'absolute', ...span });
        setStart(undefined);
        setEnd(undefined);
      },
      onDoubleClick: () => setRange({ kind: 'live' }),
    },
  };
}
