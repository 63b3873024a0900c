// Fixed colours per series, so the same mode looks the same on every chart (CSS variables per theme).

export const CPU_MODE_COLORS = {
  user: 'var(--c-user)',
  nice: 'var(--c-nice)',
  system: 'var(--c-system)',
  iowait: 'var(--c-iowait)',
  irq: 'var(--c-irq)',
  softirq: 'var(--c-softirq)',
  steal: 'var(--c-steal)',
} as const;

export const LOAD_COLORS = ['var(--c-load1)', 'var(--c-load5)', 'var(--c-load15)'] as const;

export const SERIES_PALETTE = [
  'var(--c-s1)',
  'var(--c-s2)',
  'var(--c-s3)',
  'var(--c-s4)',
  'var(--c-s5)',
  'var(--c-s6)',
] as const;
