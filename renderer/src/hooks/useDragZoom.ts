// Drag across a time chart to zoom into that span: a live chart pauses on it (the span is still in
// memory), a history chart narrows the app-wide range to it. Double-click goes back to live.
import { useRef, useState } from 'react';
import { serverNow } from '../lib/server-clock';
import { useTimeRange, zoomedRange } from './useTimeRange';

/** What recharts passes to mouse handlers: the x value under the pointer, when there is one. */
interface ChartPointer {
  activeLabel?: string | number | undefined;
}

export interface DragZoom {
  /** The span being dragged, to draw as a highlighted area. */
  selection: { from: number; to: number } | undefined;
  handlers: {
    onMouseDown: (e: ChartPointer | null) => void;
    onMouseMove: (e: ChartPointer | null) => void;
    onMouseUp: () => void;
    onMouseLeave: () => void;
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

const labelOf = (e: ChartPointer | null): number | undefined => {
  if (!e || e.activeLabel === undefined) return undefined;
  const n = typeof e.activeLabel === 'number' ? e.activeLabel : Number(e.activeLabel);
  return Number.isFinite(n) ? n : undefined;
};

export function useDragZoom(): DragZoom {
  const { range, setRange } = useTimeRange();
  // The press is kept without a render: re-rendering between the presses of a double-click would
  // replace the element under the pointer, and the browser would then send no dblclick.
  const start = useRef<number | undefined>(undefined);
  const [drag, setDrag] = useState<{ start: number; end: number }>();
  const finish = () => {
    const span = drag ? zoomSpan(drag.start, drag.end) : undefined;
    if (span) setRange(zoomedRange(range, span.from, span.to, serverNow()));
    start.current = undefined;
    if (drag) setDrag(undefined);
  };
  return {
    selection: drag
      ? { from: Math.min(drag.start, drag.end), to: Math.max(drag.start, drag.end) }
      : undefined,
    handlers: {
      onMouseDown: (e) => {
        start.current = labelOf(e);
      },
      onMouseMove: (e) => {
        if (start.current === undefined) return;
        const t = labelOf(e);
        if (t !== undefined && t !== start.current && t !== drag?.end)
          setDrag({ start: start.current, end: t });
      },
      onMouseUp: finish,
      onMouseLeave: finish,
      onDoubleClick: () => setRange({ kind: 'live' }),
    },
  };
}
