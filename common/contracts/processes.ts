// The processes part of the contract: a live table per host, and signals, renice and service restarts.
import { z } from 'zod';
import { defineContract } from '../contract';
import {
  ProcessActionResult,
  ProcessesLiveEvent,
  ProcessesLiveParams,
  ProcessRow,
  ProcessTableInfo,
  ReniceInput,
  RestartProcessServiceInput,
  SignalInput,
} from '../schemas/processes';
import { HostId } from '../schemas/sample';

export const processesContract = defineContract({
  methods: {
    'processes.list': {
      input: z.object({ host: HostId }).strict(),
      output: z.object({ info: ProcessTableInfo, processes: z.array(ProcessRow) }),
      role: 'viewer',
      summary: 'One reading of the process table of a host (CPU % needs two: it is null here).',
    },
    'processes.signal': {
      input: SignalInput,
      output: ProcessActionResult,
      role: 'operator',
      mutating: true,
      audit: { host: 'host', target: 'pid' },
      dangerous: true,
      summary: 'Sends a signal (TERM, KILL, HUP, INT, STOP, CONT, USR1, USR2) to one process.',
    },
    'processes.renice': {
      input: ReniceInput,
      output: ProcessActionResult,
      role: 'operator',
      mutating: true,
      audit: { host: 'host', target: 'pid' },
      summary: 'Sets the nice value (-20..19) of one process; lowering it needs root.',
    },
    'processes.restartService': {
      input: RestartProcessServiceInput,
      output: ProcessActionResult,
      role: 'operator',
      mutating: true,
      audit: { host: 'host', target: 'pid' },
      summary: 'Restarts the systemd service a process belongs to (found from its cgroup on the host).',
    },
  },
  streams: {
    'processes.live': {
      params: ProcessesLiveParams,
      event: ProcessesLiveEvent,
      role: 'viewer',
      summary: 'The process table of a host, read only while watched: the whole table, then what changed.',
    },
  },
});
