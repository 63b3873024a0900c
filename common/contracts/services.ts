// The services part of the contract: systemd units, their files and journal, and the actions on them.
import { z } from 'zod';
import { defineContract } from '../contract';
import { HostId } from '../schemas/sample';
import {
  EnableInput,
  JournalFollowEvent,
  JournalFollowParams,
  JournalPage,
  JournalQuery,
  ServicesList,
  SetOverrideInput,
  UnitActionResult,
  UnitDetails,
  UnitFiles,
  UnitRef,
} from '../schemas/services';

const unitAction = (summary: string) => ({
  input: UnitRef,
  output: UnitActionResult,
  role: 'operator' as const,
  mutating: true,
  audit: { host: 'host', target: 'unit' },
  summary,
});

export const servicesContract = defineContract({
  methods: {
    'services.list': {
      input: z.object({ host: HostId }).strict(),
      output: ServicesList,
      role: 'viewer',
      summary: 'The service units of a host with load, active, sub and enabled state, or why there are none.',
    },
    'services.details': {
      input: UnitRef,
      output: UnitDetails,
      role: 'viewer',
      summary: 'One unit: state, main PID, memory, CPU, tasks, dependencies and every property.',
    },
    'services.files': {
      input: UnitRef,
      output: UnitFiles,
      // Unit files and drop-ins often carry credentials (Environment=…PASSWORD=…): viewers read
      // everything except secrets, so this needs an operator.
      role: 'operator',
      summary: 'The unit file and its drop-ins (systemctl cat), and Hyperion’s override.',
    },
    'services.start': unitAction('Starts a unit.'),
    'services.stop': { ...unitAction('Stops a unit.'), dangerous: true },
    'services.restart': unitAction('Restarts a unit (starts it if it is stopped).'),
    'services.reload': unitAction('Asks a unit to reload its configuration.'),
    'services.enable': {
      ...unitAction('Enables a unit at boot; with now, starts it too.'),
      input: EnableInput,
    },
    'services.disable': {
      ...unitAction('Disables a unit at boot; with now, stops it too.'),
      input: EnableInput,
      dangerous: true,
    },
    'services.setOverride': {
      input: SetOverrideInput,
      output: UnitActionResult,
      role: 'admin',
      mutating: true,
      audit: { host: 'host', target: 'unit' },
      summary: 'Writes the unit’s drop-in override (empty removes it), reloads systemd, optionally restarts.',
    },
    'services.journal': {
      input: JournalQuery,
      output: JournalPage,
      role: 'viewer',
      summary: 'The last lines of a unit’s journal (or the whole journal), by priority and text.',
    },
  },
  streams: {
    'services.journal.live': {
      params: JournalFollowParams,
      event: JournalFollowEvent,
      role: 'viewer',
      summary: 'The last lines of a journal, then each new line as it is written (journalctl -f).',
    },
  },
});
