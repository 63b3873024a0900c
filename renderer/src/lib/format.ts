// Formatting of numbers and times for people: units always, at most three significant digits.

export function formatPercent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value >= 99.95) return '100 %';
  if (value >= 10) return `${value.toFixed(0)} %`;
  return `${value.toFixed(1)} %`;
}

export function formatLoad(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatCelsius(value: number): string {
  return `${value.toFixed(value >= 100 ? 0 : 1)} °C`;
}

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function formatClock(ts: number): string {
  const d = new Date(ts);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The local zone as people read it: "UTC", "UTC+2", "UTC−5:30". */
export function formatZone(date: Date = new Date()): string {
  const offset = -date.getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const sign = offset > 0 ? '+' : '−';
  const abs = Math.abs(offset);
  const minutes = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${minutes ? `:${pad(minutes)}` : ''}`;
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Memory and disk sizes in binary units, at most three significant digits. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '–';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${bytes < 0 ? '−' : ''}${value.toFixed(digits)} ${BINARY_UNITS[unit]}`;
}

const DECIMAL_BIT_UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s'] as const;

/** Network rates in decimal bits per second, as link speeds are quoted. */
export function formatBitsPerSec(bytesPerSec: number | undefined): string {
  if (bytesPerSec === undefined || !Number.isFinite(bytesPerSec)) return '–';
  let value = bytesPerSec * 8;
  let unit = 0;
  while (value >= 1000 && unit < DECIMAL_BIT_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${DECIMAL_BIT_UNITS[unit]}`;
}

/** Rates of bytes (disk I/O, wire cost) in binary units per second. */
export function formatBytesPerSec(bytesPerSec: number | undefined): string {
  return bytesPerSec === undefined ? '–' : `${formatBytes(bytesPerSec)}/s`;
}

/** A span of time in the largest unit that fits: "4 s", "5 min", "2 h 10 min", "3 d". */
export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/**
 * UI.md 2: network in decimal bits/s by default, or binary bytes/s — one global setting
 * (lib/units.ts keeps it and redraws the views when it changes).
 */
export type NetworkUnit = 'bits' | 'bytes';
let networkUnit: NetworkUnit = 'bits';

export function setNetworkUnitFormat(unit: NetworkUnit): void {
  networkUnit = unit;
}

/** A network rate (given in bytes/s) in the unit chosen for networks. */
export function formatNetRate(bytesPerSec: number | undefined): string {
  return networkUnit === 'bits' ? formatBitsPerSec(bytesPerSec) : formatBytesPerSec(bytesPerSec);
}

/** "decimal bits/s" or "binary bytes/s": said in every network chart's title. */
export const networkUnitLabel = (): string => (networkUnit === 'bits' ? 'decimal bits/s' : 'binary bytes/s');

/** "bit/s" or "B/s", for a column header. */
export const networkUnitShort = (): string => (networkUnit === 'bits' ? 'bit/s' : 'B/s');
