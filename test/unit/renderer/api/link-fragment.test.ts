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
    expect(parseRoute('#/host/local')).toEqual({ page: 'host', hostId: 'local' });
  });

  it('leaves an address without a secret alone', () => {
    const w = fakeWindow('#/settings');
    expect(takeLinkSecret(w.location, w.history)).toBeUndefined();
    expect(w.replaced).toEqual([]);
  });
});

describe('parseRoute', () => {
  it('knows the pages and defaults to the fleet', () => {
    expect(parseRoute('')).toEqual({ page: 'fleet' });
    expect(parseRoute('#/settings')).toEqual({ page: 'settings' });
    expect(parseRoute('#/account')).toEqual({ page: 'account' });
    expect(parseRoute('#/users')).toEqual({ page: 'users' });
    expect(parseRoute('#/host/web-1-abc123?x=1')).toEqual({ page: 'host', hostId: 'web-1-abc123' });
    expect(parseRoute('#/nonsense')).toEqual({ page: 'fleet' });
  });
});
