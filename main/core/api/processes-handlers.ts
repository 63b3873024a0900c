// Binds the processes part of the contract to the process service.
import type { processesContract } from '../../../common/contracts/processes';
import type { Handlers } from '../../../common/rpc/server';
import type { ProcessService } from '../processes/process-service';

export function createProcessesHandlers(processes: ProcessService): Handlers<typeof processesContract> {
  return {
    methods: {
      'processes.list': ({ host }) => processes.list(host),
      'processes.signal': ({ host, pid, signal, expect }) => processes.signal(host, pid, signal, expect),
      'processes.renice': ({ host, pid, nice, expect }) => processes.renice(host, pid, nice, expect),
      'processes.restartService': ({ host, pid, expect }) => processes.restartService(host, pid, expect),
    },
    streams: {
      'processes.live': ({ host, intervalMs }, emit) => processes.watch(host, intervalMs, emit),
    },
  };
}
