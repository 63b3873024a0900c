// Per-core use: small multiples up to 16 cores; beyond that a heatmap strip and the busiest cores.
import { memo, useEffect, useMemo, useRef } from 'react';
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Sample } from '../../../../common/schemas/sample';
import { formatPercent } from '../../lib/format';
import { useTimeChart } from '../../hooks/useTimeChart';
import { busiestCores, coreRows } from './cpu-rows';

export const SMALL_MULTIPLES_MAX = 16;

export const CoreGrid = memo(function CoreGrid({ samples, syncId }: { samples: Sample[]; syncId?: string }) {
  const cores = samples[samples.length - 1]?.cpu.cores.length ?? 0;
  return cores <= SMALL_MULTIPLES_MAX ? (
    <SmallMultiples samples={samples} cores={cores} syncId={syncId} />
  ) : (
    <CoreHeatmap samples={samples} cores={cores} />
  );
});

/** Small multiples carry the crosshair as a cursor line; the value is in the caption. */
const NoTooltipBox = () => null;

function SmallMultiples({
  samples,
  cores,
  syncId,
}: {
  samples: Sample[];
  cores: number;
  syncId: string | undefined;
}) {
  const rows = useMemo(() => coreRows(samples.slice(-120)), [samples]);
  const latest = samples[samples.length - 1];
  const time = useTimeChart(syncId);
  return (
    <div className="core-grid" data-testid="core-grid">
      {Array.from({ length: cores }, (_, i) => (
        <figure key={i} className="core-cell" aria-label={`CPU ${i}`}>
          <figcaption>
            <span>cpu{i}</span>
            <span className="core-value" data-testid={`core-${i}-value`}>
              {formatPercent(latest?.cpu.cores[i]?.usage)}
            </span>
          </figcaption>
          <ResponsiveContainer width="100%" height={56}>
            <AreaChart data={rows} margin={{ top: 2, right: 0, bottom: 0, left: 0 }} {...time.chart}>
              <XAxis {...time.axis} hide />
              <YAxis domain={[0, 100]} hide allowDataOverflow />
              <Tooltip content={NoTooltipBox} isAnimationActive={false} cursor={{ stroke: 'var(--axis)' }} />
              <Area
                dataKey={`c${i}`}
                type="linear"
                stroke="var(--c-user)"
                fill="var(--c-user)"
                fillOpacity={0.35}
                strokeWidth={1}
                isAnimationActive={false}
                dot={false}
              />
              {time.selection}
            </AreaChart>
          </ResponsiveContainer>
        </figure>
      ))}
    </div>
  );
}

const HEAT_COLUMNS = 120;

function CoreHeatmap({ samples, cores }: { samples: Sample[]; cores: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const recent = samples.slice(-HEAT_COLUMNS);
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const cell = Math.max(2, Math.floor(300 / cores));
    el.width = HEAT_COLUMNS * 4;
    el.height = cores * cell;
    ctx.clearRect(0, 0, el.width, el.height);
    const offset = HEAT_COLUMNS - recent.length;
    recent.forEach((s, x) => {
      s.cpu.cores.forEach((c, y) => {
        // Lightness falls as use rises: readable in both themes, and not colour alone (see list).
        ctx.fillStyle = `hsl(200 90% ${92 - c.usage * 0.62}%)`;
        ctx.fillRect((offset + x) * 4, y * cell, 4, cell);
      });
    });
  }, [recent, cores]);
  const top = busiestCores(samples, 5);
  return (
    <div className="core-heatmap" data-testid="core-heatmap">
      <canvas
        ref={canvas}
        className="heatmap-canvas"
        role="img"
        aria-label={`Use of ${cores} cores over the last ${HEAT_COLUMNS} samples; darker is busier`}
      />
      <div>
        <h3>Busiest cores</h3>
        <ol className="busiest">
          {top.map((c) => (
            <li key={c.core}>
              cpu{c.core} <strong>{formatPercent(c.usage)}</strong>
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
