// Subscribes to one host's live process table while the component is shown (the core reads the
// table only while someone watches) and keeps it as a Map by PID.
import { useEffect, useState } from 'react';
import type { ProcessRow, ProcessTableInfo } from '../../../../common/schemas/processes';
import { useClient } from '../../api/context';
import { applyProcessEvent } from './process-rows';

export interface ProcessTable {
  rows: ReadonlyMap<number, ProcessRow>;
  info: ProcessTableInfo | undefined;
  status: 'loading' | 'live' | 'unavailable' | 'error';
  message: string | undefined;
}

const EMPTY: ProcessTable = { rows: new Map(), info: undefined, status: 'loading', message: undefined };

export function useProcessTable(hostId: string, intervalMs: number, paused: boolean): ProcessTable {
  const client = useClient();
  const [table, setTable] = useState<ProcessTable>(EMPTY);
  useEffect(() => {
    if (paused) return;
    const off = client.subscribe(
      'processes.live',
      { host: hostId, intervalMs },
      {
        onEvent: (event) =>
          setTable((t) =>
            event.kind === 'unavailable'
              ? { ...t, status: 'unavailable', message: event.message }
              : {
                  rows: applyProcessEvent(t.rows, event),
                  info: event.info,
                  status: 'live',
                  message: undefined,
                },
          ),
        onError: (error) => setTable((t) => ({ ...t, status: 'error', message: error.message })),
      },
    );
    return off;
  }, [client, hostId, intervalMs, paused]);
  return table;
}
