// The rules every installation starts with. They are ordinary rules afterwards (editable, can be
// disabled); "reset" puts back these settings.
import type { ParsedAlertRule } from '../../../common/schemas/alerts';

/** The desktop channel every installation starts with, so built-in rules reach someone. */
export const DEFAULT_DESKTOP_CHANNEL_ID = 'desktop';

const base = {
  enabled: true,
  transform: 'value',
  rateWindowSec: 600,
  scope: { kind: 'all' },
  labels: '',
  clearForSec: 0,
  channels: [DEFAULT_DESKTOP_CHANNEL_ID],
} as const;

export const BUILTIN_RULES: Readonly<Record<string, ParsedAlertRule>> = {
  'host-unreachable': {
    ...base,
    scope: { kind: 'all' },
    channels: [DEFAULT_DESKTOP_CHANNEL_ID],
    name: 'Host unreachable',
    metric: 'host.unreachable',
    comparison: '>=',
    threshold: 1,
    clearThreshold: null,
    forSec: 60,
    severity: 'critical',
    description: '{host} cannot be reached over SSH.',
  },
  'disk-full': {
    ...base,
    scope: { kind: 'all' },
    channels: [DEFAULT_DESKTOP_CHANNEL_ID],
    name: 'Disk almost full',
    metric: 'fs.used_percent',
    comparison: '>=',
    threshold: 90,
    clearThreshold: 85,
    forSec: 120,
    severity: 'warning',
    description: '{label} on {host} is {value} full (alert at {threshold}).',
  },
  'memory-low': {
    ...base,
    scope: { kind: 'all' },
    channels: [DEFAULT_DESKTOP_CHANNEL_ID],
    name: 'Memory almost exhausted',
    metric: 'mem.available_percent',
    comparison: '<=',
    threshold: 5,
    clearThreshold: 10,
    forSec: 60,
    severity: 'critical',
    description: 'Only {value} of memory is available on {host} (alert at {threshold}).',
  },
  'cpu-sustained': {
    ...base,
    scope: { kind: 'all' },
    channels: [DEFAULT_DESKTOP_CHANNEL_ID],
    name: 'CPU saturated',
    metric: 'cpu.usage',
    comparison: '>=',
    threshold: 95,
    clearThreshold: 85,
    forSec: 600,
    severity: 'warning',
    description: 'CPU on {host} has been at {value} for 10 minutes (alert at {threshold}).',
  },
  'swap-rising': {
    ...base,
    scope: { kind: 'all' },
    channels: [DEFAULT_DESKTOP_CHANNEL_ID],
    name: 'Swap in use rising',
    metric: 'swap.used',
    transform: 'rate',
    rateWindowSec: 600,
    comparison: '>',
    threshold: 16 * 1024,
    clearThreshold: 0,
    forSec: 300,
    severity: 'warning',
    description: 'Swap in use on {host} keeps growing ({value}): memory is short.',
  },
};

/** Built-in rules in the order the UI lists them. */
export const BUILTIN_ORDER = Object.keys(BUILTIN_RULES);
