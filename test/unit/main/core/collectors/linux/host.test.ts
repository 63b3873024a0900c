import {
  parseOsRelease,
  parseTemperatures,
  parseUptime,
} from '../../../../../../main/core/collectors/linux/host';
import { fixture } from '../../../../../helpers/fixtures';

describe('parseOsRelease', () => {
  it('reads PRETTY_NAME from a captured Debian file', () => {
    expect(parseOsRelease(fixture('proc/os-release-debian12.txt'))).toBe('Debian GNU/Linux 12 (bookworm)');
  });

  it('falls back to NAME and VERSION, and unquotes', () => {
    expect(parseOsRelease('NAME=\'Alpine Linux\'\nVERSION="3.20"\n')).toBe('Alpine Linux 3.20');
  });

  it('says Linux when the file is empty', () => {
    expect(parseOsRelease('')).toBe('Linux');
  });
});

describe('parseUptime', () => {
  it('reads seconds since boot', () => {
    expect(parseUptime('533.06 932.71\n')).toBe(533.06);
  });
  it('refuses garbage', () => {
    expect(() => parseUptime('x')).toThrow();
  });
});

describe('parseTemperatures', () => {
  it('converts millidegrees and drops unreadable and sentinel values', () => {
    expect(
      parseTemperatures([
        { sensor: 'coretemp Package id 0', milliCelsius: '47000\n' },
        { sensor: 'nvme temp1', milliCelsius: '38850' },
        { sensor: 'nvme temp2', milliCelsius: '-273000' },
        { sensor: 'broken', milliCelsius: '' },
        { sensor: 'garbage', milliCelsius: 'N/A' },
      ]),
    ).toEqual([
      { sensor: 'coretemp Package id 0', celsius: 47 },
      { sensor: 'nvme temp1', celsius: 38.9 },
    ]);
  });
});
