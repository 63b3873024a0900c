import { takeAccessToken } from '../../../../renderer/src/api/client';
import { parseRoute } from '../../../../renderer/src/hooks/useHashRoute';

function fakeWindow(hash: string) {
  const store = new Map<string, string>();
  const location = { hash, pathname: '/', search: '' } as Location;
  const replaced: string[] = [];
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  } as unknown as Storage;
  const history = {
    replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
  } as unknown as History;
  return { location, storage, history, replaced };
}

describe('takeAccessToken', () => {
  it('takes the token from the fragment and removes it from the address bar', () => {
    const w = fakeWindow('#token=abc_DEF-123');
    expect(takeAccessToken(w.location, w.storage, w.history)).toBe('abc_DEF-123');
    expect(w.replaced).toEqual(['/']);
  });

  it('keeps a route that rides with the token', () => {
    const w = fakeWindow('#/host/local?token=abc');
    expect(takeAccessToken(w.location, w.storage, w.history)).toBe('abc');
    expect(w.replaced).toEqual(['/#/host/local']);
    expect(parseRoute('#/host/local')).toMatchObject({ page: 'host', hostId: 'local', tab: undefined });
  });

  it('falls back to the token kept for this tab', () => {
    const w = fakeWindow('');
    w.storage.setItem('hyperion.token', 'kept');
    expect(takeAccessToken(w.location, w.storage, w.history)).toBe('kept');
    expect(w.replaced).toEqual([]);
  });
});
