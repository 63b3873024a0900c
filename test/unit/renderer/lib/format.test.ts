import {
  formatCelsius,
  formatDuration,
  formatLoad,
  formatNetRate,
  formatPercent,
  formatUptime,
  formatZone,
  networkUnitLabel,
  networkUnitShort,
  setNetworkUnitFormat,
} from '../../../../renderer/src/lib/format';

describe('formatPercent', () => {
  it('keeps at most three significant digits and always says %', () => {
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatPercent(3.14159)).toBe('3.1 %');
    expect(formatPercent(42.6)).toBe('43 %');
    expect(formatPercent(99.96)).toBe('100 %');
  });
  it('shows a dash for missing values', () => {
    expect(formatPercent(undefined)).toBe('–');
    expect(formatPercent(Number.NaN)).toBe('–');
  });
});

describe('formatLoad', () => {
  it('scales decimals with magnitude', () => {
    expect(formatLoad(0.734)).toBe('0.73');
    expect(formatLoad(12.34)).toBe('12.3');
    expect(formatLoad(123.4)).toBe('123');
  });
});

describe('formatUptime', () => {
  it('reads like a person would say it', () => {
    expect(formatUptime(59)).toBe('0 min');
    expect(formatUptime(3 * 3600 + 5 * 60)).toBe('3 h 5 min');
    expect(formatUptime(2 * 86400 + 7200)).toBe('2 d 2 h');
  });
});

describe('formatCelsius and formatZone', () => {
  it('formats degrees', () => {
    expect(formatCelsius(47.04)).toBe('47.0 °C');
  });
  it('names the zone by its offset', () => {
    const fake = { getTimezoneOffset: () => -330 } as Date;
    expect(formatZone(fake)).toBe('UTC+5:30');
    expect(formatZone({ getTimezoneOffset: () => 300 } as Date)).toBe('UTC−5');
    expect(formatZone({ getTimezoneOffset: () => 0 } as Date)).toBe('UTC');
  });
});

describe('network units (one setting for bits or bytes)', () => {
  afterEach(() => setNetworkUnitFormat('bits'));
  it('says network rates in decimal bits by default and binary bytes when chosen, and says which', () => {
    expect(formatNetRate(125_000)).toBe('1.00 Mbit/s');
    expect(networkUnitLabel()).toBe('decimal bits/s');
    setNetworkUnitFormat('bytes');
    expect(formatNetRate(125_000)).toBe('122 KiB/s');
    expect(networkUnitLabel()).toBe('binary bytes/s');
    expect(networkUnitShort()).toBe('B/s');
  });
});

describe('formatDuration', () => {
  it('uses the largest unit that fits', () => {
    expect(formatDuration(4_400)).toBe('4 s');
    expect(formatDuration(-300_000)).toBe('5 min');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
  });
});
