// Words and numbers for people: alert values with their units, and descriptions with their
// placeholders ({host}, {value}, {threshold}, {label}, {rule}) filled in.
import { alertMetricInfo, type AlertUnit, type Comparison } from '../../../common/schemas/alerts';

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const DECIMAL_BITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'];

/** At most three significant digits, no trailing zeros: 93.2, 90, 4.75, 0.5. */
function threeDigits(value: number): string {
  const abs = Math.abs(value);
  const text = abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function scaled(value: number, units: string[], base: number): string {
  let v = Math.abs(value);
  let i = 0;
  while (v >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return `${value < 0 ? '−' : ''}${i === 0 ? threeDigits(v) : threeDigits(Number(v.toPrecision(3)))} ${units[i]}`;
}

export function formatUnitValue(unit: AlertUnit, value: number, perSecond = false): string {
  if (!Number.isFinite(value)) return '–';
  const suffix = perSecond ? '/s' : '';
  switch (unit) {
    case 'percent':
      return `${threeDigits(value)} %${suffix}`;
    case 'bytes':
      return `${scaled(value, BINARY, 1024)}${suffix}`;
    case 'bytes/s':
      return perSecond ? `${scaled(value, BINARY, 1024)}/s²` : `${scaled(value, BINARY, 1024)}/s`;
    case 'celsius':
      return `${threeDigits(value)} °C${suffix}`;
    case 'seconds':
      return `${threeDigits(value)} s${suffix}`;
    case 'boolean':
      return value >= 1 ? 'unreachable' : 'reachable';
    case 'load':
      return `${threeDigits(value)}${suffix}`;
    default:
      return `${threeDigits(value)} ${unit}${suffix}`;
  }
}

/** A value of a metric as people read it; network rates in bits per second, as links are quoted. */
export function formatAlertValue(
  metric: string,
  value: number,
  transform: 'value' | 'rate' = 'value',
): string {
  const info = alertMetricInfo(metric);
  if (!info) return threeDigits(value);
  if (transform === 'value' && (metric === 'net.rx' || metric === 'net.tx')) {
    return scaled(value * 8, DECIMAL_BITS, 1000);
  }
  return formatUnitValue(info.unit, value, transform === 'rate');
}

const WORDS: Record<Comparison, string> = {
  '>': 'above',
  '>=': 'at or above',
  '<': 'below',
  '<=': 'at or below',
};

export function comparisonWords(c: Comparison): string {
  return WORDS[c];
}

export interface DescribeInput {
  ruleName: string;
  description: string;
  metric: string;
  transform: 'value' | 'rate';
  comparison: Comparison;
  threshold: number;
  host: string;
  label: string;
  value: number;
}

/** The rule's description with its placeholders filled in, or a sentence made from the rule. */
export function describeAlert(a: DescribeInput): string {
  const value = formatAlertValue(a.metric, a.value, a.transform);
  const threshold = formatAlertValue(a.metric, a.threshold, a.transform);
  if (a.description.trim() === '') {
    const info = alertMetricInfo(a.metric);
    const what = `${info?.title ?? a.metric}${a.transform === 'rate' ? ' (rate)' : ''}${a.label ? ` of ${a.label}` : ''}`;
    if (info?.unit === 'boolean') return `${a.host} is ${value}.`;
    return `${what} on ${a.host} is ${value} (${comparisonWords(a.comparison)} ${threshold}).`;
  }
  const fields: Record<string, string> = {
    host: a.host,
    value,
    threshold,
    label: a.label || '–',
    rule: a.ruleName,
  };
  return a.description.replace(/\{(host|value|threshold|label|rule)\}/g, (_m, k: string) => fields[k]!);
}
