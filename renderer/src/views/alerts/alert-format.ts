// Alert values and thresholds as people read them, in the units of the metric (UI.md 1–2).
import { alertMetricInfo, type Comparison, type Severity } from '../../../../common/schemas/alerts';
import { formatBitsPerSec, formatBytes, formatBytesPerSec } from '../../lib/format';

function num(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 || Number.isInteger(value)
    ? value.toFixed(0)
    : abs >= 10
      ? value.toFixed(1)
      : value.toFixed(2);
}

export function formatAlertValue(
  metric: string,
  value: number,
  transform: 'value' | 'rate' = 'value',
): string {
  if (!Number.isFinite(value)) return '–';
  const info = alertMetricInfo(metric);
  const rate = transform === 'rate';
  switch (info?.unit) {
    case 'percent':
      return `${num(value)} %${rate ? '/s' : ''}`;
    case 'bytes':
      return rate ? `${formatBytes(value)}/s` : formatBytes(value);
    case 'bytes/s':
      if (rate) return `${formatBytesPerSec(value)}/s`;
      return metric === 'net.rx' || metric === 'net.tx' ? formatBitsPerSec(value) : formatBytesPerSec(value);
    case 'boolean':
      return value >= 1 ? 'unreachable' : 'reachable';
    case 'celsius':
      return `${num(value)} °C${rate ? '/s' : ''}`;
    case 'seconds':
      return `${num(value)} s${rate ? '/s' : ''}`;
    case 'load':
      return `${num(value)}${rate ? '/s' : ''}`;
    case undefined:
      return num(value);
    default:
      return `${num(value)} ${info?.unit ?? ''}${rate ? '/s' : ''}`;
  }
}

export const COMPARISON_SIGNS: Record<Comparison, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

export const COMPARISON_WORDS: Record<Comparison, string> = {
  '>': 'above',
  '>=': 'at or above',
  '<': 'below',
  '<=': 'at or below',
};

/** Severity as icon and word, never colour alone (UI.md 11). */
export const SEVERITY_LABELS: Record<Severity, { icon: string; label: string; tone: string }> = {
  critical: { icon: '✖', label: 'Critical', tone: 'bad' },
  warning: { icon: '⚠', label: 'Warning', tone: 'warn' },
  info: { icon: '●', label: 'Info', tone: 'muted' },
};

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function formatTime(ts: number): string {
  const d = new Date(ts);
  const today = new Date();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

/** Units a threshold can be typed in, per metric unit: [label, factor]. */
export function thresholdUnits(metric: string, transform: 'value' | 'rate'): [string, number][] {
  const unit = alertMetricInfo(metric)?.unit;
  const per = transform === 'rate' ? '/s' : '';
  switch (unit) {
    case 'bytes':
      return [
        [`GiB${per}`, 2 ** 30],
        [`MiB${per}`, 2 ** 20],
        [`KiB${per}`, 2 ** 10],
        [`bytes${per}`, 1],
      ];
    case 'bytes/s':
      return [
        [`MiB/s${per}`, 2 ** 20],
        [`KiB/s${per}`, 2 ** 10],
        [`bytes/s${per}`, 1],
      ];
    case 'percent':
      return [[`%${per}`, 1]];
    case 'celsius':
      return [[`°C${per}`, 1]];
    case 'seconds':
      return [[`s${per}`, 1]];
    case 'boolean':
      return [['(1 = unreachable)', 1]];
    case undefined:
    case 'load':
      return [[per || '(load)', 1]];
    default:
      return [[`${unit}${per}`, 1]];
  }
}
