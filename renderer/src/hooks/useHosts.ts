// Saved hosts and their connection states, kept current by the hosts.status stream.
import { useCallback, useEffect, useState } from 'react';
import type { Host, HostStatus } from '../../../common/schemas/hosts';
import { useClient, useOnConnected } from '../api/context';

export interface HostsState {
  hosts: Host[];
  statuses: ReadonlyMap<string, HostStatus>;
  loaded: boolean;
  error: string | undefined;
  reload: () => void;
}

export function useHosts(): HostsState {
  const client = useClient();
  const [hosts, setHosts] = useState<Host[]>([]);
  const [statuses, setStatuses] = useState<ReadonlyMap<string, HostStatus>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();

  const reload = useCallback(() => {
    client.call('hosts.list', {}).then(
      (list) => {
        setHosts(list);
        setLoaded(true);
        setError(undefined);
      },
      (err: Error) => setError(err.message),
    );
  }, [client]);

  useOnConnected(reload);

  useEffect(
    () =>
      client.subscribe(
        'hosts.status',
        {},
        {
          onEvent: (event) => {
            setStatuses((current) => {
              const next = new Map(event.snapshot ? [] : current);
              for (const status of event.hosts) next.set(status.id, status);
              for (const id of event.removed) next.delete(id);
              return next;
            });
            // A host added or removed elsewhere (another window, the CLI): refresh the list.
            if (
              !event.snapshot &&
              (event.removed.length > 0 || event.hosts.some((h) => h.state === 'connecting'))
            ) {
              reload();
            }
          },
          onError: (err) => setError(err.message),
        },
      ),
    [client, reload],
  );

  return { hosts, statuses, loaded, error, reload };
}
