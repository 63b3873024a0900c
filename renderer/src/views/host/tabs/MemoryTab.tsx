// Memory in detail: used, available, cache and buffers over the window, swap activity beside it, facts.
import { useMemo } from 'react';
import type { Sample } from '../../../../../common/schemas/sample';
import { MirroredChart, MirroredLegend, twoWay } from '../../../components/MirroredChart';
import { Panel } from '../../../components/Panel';
import { formatBytes, formatBytesPerSec, formatPercent } from '../../../lib/format';
import { MemoryChart, MemoryLegend } from './MemoryChart';
import { formatByteRate, memoryRows } from './rows';

const SWAP_SERIES = twoWay('swapIn', 'swapped in', 'swapOut', 'swapped out');

const percentOf = (part: number, total: number): number => (total ? (part / total) * 100 : 0);

export function MemoryTab({ samples, syncId }: { samples: Sample[]; syncId: string }) {
  const rows = useMemo(() => memoryRows(samples), [samples]);
  const m = samples[samples.length - 1]!.memory;
  const hasSwap = m.swapTotalBytes > 0;
  const swapPercent = percentOf(m.swapUsedBytes, m.swapTotalBytes);
  return (
    <div className="panel-grid">
      <Panel
        title="Memory"
        unit="binary bytes"
        note={<MemoryLegend showSwap={hasSwap} showAvailable />}
        wide
        testId="memory-chart-panel"
      >
        <MemoryChart
          rows={rows}
          totalBytes={m.totalBytes}
          showSwap={hasSwap}
          showAvailable
          syncId={syncId}
          height={220}
        />
      </Panel>
      <Panel
        title="Swap activity"
        unit="binary bytes/s"
        note={<MirroredLegend series={SWAP_SERIES} />}
        testId="swap-panel"
      >
        {hasSwap ? (
          <>
            <MirroredChart rows={rows} series={SWAP_SERIES} format={formatByteRate} syncId={syncId} />
            <p className="chart-caption">
              swap used {formatBytes(m.swapUsedBytes)} of {formatBytes(m.swapTotalBytes)} (
              {formatPercent(swapPercent)})
            </p>
          </>
        ) : (
          <p className="muted">
            No swap configured: under memory pressure the kernel drops cache and, at worst, the OOM killer
            ends a process.
          </p>
        )}
      </Panel>
      <Panel title="Memory now" unit="binary bytes" testId="memory-panel">
        <dl className="facts" data-testid="memory-facts">
          <dt>Used</dt>
          <dd>
            {formatBytes(m.usedBytes)} of {formatBytes(m.totalBytes)} (
            {formatPercent(percentOf(m.usedBytes, m.totalBytes))})
          </dd>
          <dt>Available</dt>
          <dd>{formatBytes(m.availableBytes)}</dd>
          <dt>Free</dt>
          <dd>{formatBytes(m.freeBytes)}</dd>
          <dt>Cache / buffers</dt>
          <dd>
            {formatBytes(m.cachedBytes)} / {formatBytes(m.buffersBytes)}
          </dd>
          <dt>Swap</dt>
          <dd>
            {hasSwap
              ? `${formatBytes(m.swapUsedBytes)} of ${formatBytes(m.swapTotalBytes)} (${formatPercent(swapPercent)}), in ${formatBytesPerSec(m.swapInBytesPerSec)}, out ${formatBytesPerSec(m.swapOutBytesPerSec)}`
              : 'none configured'}
          </dd>
        </dl>
      </Panel>
    </div>
  );
}
