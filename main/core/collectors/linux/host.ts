// Parses the files that describe a Linux host: /proc/uptime, /etc/os-release, kernel release.
import type { Temperature } from '../../../../common/schemas/sample';

export function parseUptime(text: string): number {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(seconds)) throw new Error(`/proc/uptime is not readable: "${text.trim()}"`);
  return seconds;
}

/** Names already parsed, by the text they came from: the file is the same every second. */
const osNames = new Map<string, string>();

/** PRETTY_NAME from os-release (or NAME VERSION), unquoted; "Linux" when the file says nothing. */
export function parseOsRelease(text: string): string {
  let name = osNames.get(text);
  if (name === undefined) {
    name = osReleaseName(text);
    // Bounded: one entry per distinct file (a fleet has a handful), cleared if it ever fills.
    if (osNames.size >= 256) osNames.clear();
    osNames.set(text, name);
  }
  return name;
}

function osReleaseName(text: string): string {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2] ?? '';
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["'\\$`])/g, '$1');
    fields.set(match[1] ?? '', value);
  }
  const pretty = fields.get('PRETTY_NAME');
  if (pretty) return pretty;
  const name = [fields.get('NAME'), fields.get('VERSION')].filter(Boolean).join(' ');
  return name || 'Linux';
}

/** One raw sensor reading: a label and the kernel's millidegrees Celsius. */
export interface RawTemperature {
  sensor: string;
  milliCelsius: string;
}

/**
 * Sensor readings in °C, one per sensor. Unreadable values and the kernel's sentinel readings
 * (below −100 °C or above 200 °C, as disconnected probes report) are dropped.
 */
export function parseTemperatures(raw: RawTemperature[]): Temperature[] {
  const out: Temperature[] = [];
  for (const { sensor, milliCelsius } of raw) {
    const value = Number(milliCelsius.trim());
    if (!Number.isFinite(value) || milliCelsius.trim() === '') continue;
    const celsius = Math.round(value / 100) / 10;
    if (celsius < -100 || celsius > 200) continue;
    out.push({ sensor, celsius });
  }
  return out;
}
