import { aggregateDiskName, perSecond } from '../../../../../../main/core/collectors/si/si-rates';

describe('perSecond', () => {
  it("uses si's rate when it has one", () => {
    expect(perSecond(123.5, 1000, 0, 1)).toBe(123.5);
  });

  it('uses the counter delta otherwise', () => {
    expect(perSecond(null, 3000, 1000, 2)).toBe(1000);
    expect(perSecond(undefined, 3000, 1000, 0.5)).toBe(4000);
  });

  it('is 0 without a previous counter, after a reset, or over no time', () => {
    expect(perSecond(null, 3000, undefined, 1)).toBe(0);
    expect(perSecond(null, 10, 1000, 1)).toBe(0);
    expect(perSecond(-1, 10, 1000, 1)).toBe(0);
    expect(perSecond(Number.NaN, 3000, 1000, 0)).toBe(0);
  });
});

describe('aggregateDiskName', () => {
  it('names the one physical disk', () => {
    expect(
      aggregateDiskName([
        { name: '/dev/disk0', type: 'disk' },
        { name: '/dev/disk0s1', type: 'part' },
        { name: '/dev/disk3', type: 'virtual' },
        { name: '/dev/disk4', type: 'disk', removable: true },
      ]),
    ).toBe('disk0');
    expect(
      aggregateDiskName([
        { name: 'vda', type: 'disk' },
        { name: 'zram0', type: 'disk' },
        { name: 'loop3', type: 'disk' },
      ]),
    ).toBe('vda');
  });

  it('says "all" when there are several disks or none', () => {
    expect(
      aggregateDiskName([
        { name: 'sda', type: 'disk' },
        { name: 'nvme0n1', type: 'disk' },
      ]),
    ).toBe('all');
    expect(aggregateDiskName([])).toBe('all');
    expect(aggregateDiskName(undefined)).toBe('all');
  });
});
