// RingBuffer keeps the newest `capacity` items, oldest first.
import { RingBuffer } from '../../../../../main/core/live/ring-buffer';

describe('RingBuffer', () => {
  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
    expect(() => new RingBuffer(-1)).toThrow(/positive integer/);
    expect(() => new RingBuffer(1.5)).toThrow(/positive integer/);
  });

  it('is empty at first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.size).toBe(0);
    expect(ring.last()).toBeUndefined();
    expect(ring.toArray()).toEqual([]);
  });

  it('keeps insertion order below capacity', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.push(2);
    expect(ring.size).toBe(2);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.last()).toBe(2);
  });

  it('drops the oldest items once full, and keeps order across several wraps', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 4; i++) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([2, 3, 4]);
    expect(ring.last()).toBe(4);
    for (let i = 5; i <= 11; i++) ring.push(i);
    expect(ring.toArray()).toEqual([9, 10, 11]);
    expect(ring.last()).toBe(11);
  });

  it('works with a capacity of one', () => {
    const ring = new RingBuffer<string>(1);
    ring.push('a');
    ring.push('b');
    expect(ring.toArray()).toEqual(['b']);
    expect(ring.last()).toBe('b');
  });

  it('filters with toArray, oldest first', () => {
    const ring = new RingBuffer<number>(4);
    for (let i = 1; i <= 6; i++) ring.push(i);
    expect(ring.toArray((n) => n % 2 === 0)).toEqual([4, 6]);
  });
});
