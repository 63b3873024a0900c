// Reads the one-time parts of the address a person opened — `#setup=…` (the first admin's link) or
// `#token=…` (an access-key link, also `#/host/x?token=…`) — and removes them from the address bar
// and history at once. The rest of the fragment is a route and stays.

export type LinkSecret = { kind: 'setup' | 'token'; value: string } | undefined;

export function takeLinkSecret(location: Location, history: History): LinkSecret {
  const match = /([#&?])(setup|token)=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!match?.[3]) return undefined;
  const rest = location.hash.replace(match[0], match[1] === '#' ? '#' : '').replace(/^#$/, '');
  history.replaceState(null, '', location.pathname + location.search + rest);
  return { kind: match[2] as 'setup' | 'token', value: match[3] };
}
