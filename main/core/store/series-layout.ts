// The shape of packed samples, shared by the facade that packs them and the writer that stores
// them. Kept free of imports: the store's worker loads it, and must not load the schemas (zod).

/** The series of one host's sample shape: its metrics and labels, in the order values come. */
export interface SeriesLayout {
  id: number;
  host: string;
  metrics: string[];
  labels: string[];
}

/** What a batch carries besides its ticks: layouts first used in it, and layouts no longer used. */
export interface LayoutChanges {
  layouts: SeriesLayout[];
  /** Ids of layouts no later tick uses: the engine forgets them once this batch is written. */
  retired: number[];
}

export const layoutValues = (layout: SeriesLayout): number => layout.metrics.length;
