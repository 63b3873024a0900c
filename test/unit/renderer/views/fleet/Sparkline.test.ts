import { describe, expect, it } from 'vitest';
import { sparklinePath } from '../../../../../renderer/src/views/fleet/Sparkline';

const box = { windowMs: 4000, max: 100, gapMs: 1500, width: 40, height: 11 };

describe('sparklinePath', () => {
  it('draws x by time ending at the newest point and y on a fixed scale, clamped', () => {
    expect(sparklinePath([1000, 2000, 3000, 4000, 5000], [0, 0, 50, 100, 200], box)).toBe(
      'M0.0 10.5L10.0 10.5L20.0 5.5L30.0 0.5L40.0 0.5',
    );
  });

  it('breaks the line at missing values and at gaps in time', () => {
    expect(sparklinePath([1000, 2000, 3000, 4000], [10, NaN, 10, 10], box)).toBe(
      'M10.0 9.5M30.0 9.5L40.0 9.5',
    );
    expect(sparklinePath([1000, 4000], [10, 10], box)).toBe('M10.0 9.5M40.0 9.5');
  });

  it('draws nothing without points', () => {
    expect(sparklinePath([], [], box)).toBe('');
  });
});
