import { zoomSpan } from '../../../../renderer/src/hooks/useDragZoom';

describe('zoomSpan', () => {
  it('orders the ends of a drag either way', () => {
    expect(zoomSpan(10_000, 4_000)).toEqual({ from: 4_000, to: 10_000 });
  });
  it('treats a tiny drag as a click', () => {
    expect(zoomSpan(5_000, 6_000)).toBeUndefined();
  });
});
