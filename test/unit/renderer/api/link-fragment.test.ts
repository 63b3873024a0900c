import { takeLinkSecret } from '../../../../renderer/src/api/link-fragment';
import { parseRoute } from '../../../../renderer/src/hooks/useHashRoute';

function fakeWindow(hash: string) {
  const location = { hash, pathname: '/', search: '' } as Location;
  const replaced: string[] = [];
  const history = {
    replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
  } as unknown as History;
  return { location, history, replaced };
}

describe('takeLinkSecret', () => {
  it('takes an access key from the fragment and removes it from the address bar', () => {
    const w = fakeWindow('#token=abc_DEF-123');
    expect(takeLinkSecret(w.location, w.history)).toEqual({ kind: 'token', value: 'abc_DEF-123' });
    expect(w.replaced).toEqual(['/']);
  });

  it('takes the first admin’s setup token the same way', () => {
    const w = fakeWindow('#setup=s3tup_token');
    expect(takeLinkSecret(w.location, w.history)).toEqual({ kind: 'setup', value: 's3tup_token' });
    expect(w.replaced).toEqual(['/']);
  });

  it('keeps a route that rides with the key', () => {
    const w = fakeWindow('#/host/local?token=abc');
    expect(takeLinkSecret(w.location, w.history)).toEqual({ kind: 'token', value: 'abc' });
    expect(w.replaced).toEqual(['/#/host/local']);
    expect(parseRoute('#/host/local')).toMatchObject({ page: 'host', hostId: 'local', tab: undefined });
  });

  it('leaves an address without a secret alone', () => {
    const w = fakeWindow('#/settings');
    expect(takeLinkSecret(w.location, w.history)).toBeUndefined();
    expect(w.replaced).toEqual([]);
  });
});
