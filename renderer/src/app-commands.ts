// What the keyboard and the command palette can do: one list of palette items and one handler for
// the shortcuts of lib/shortcuts.ts, over the app's route, hosts, dialogs and time range.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { HyperionClient } from './api/client';
import type { PaletteItem } from './components/CommandPalette';
import { hostHref, navigate, pageHref, type Route } from './hooks/useHashRoute';
import type { HostsState } from './hooks/useHosts';
import {
  pannedRange,
  pausedRange,
  PRESET_LIST,
  useTimeFormat,
  useTimeRange,
  zoomedOutRange,
  type TimeRange,
} from './hooks/useTimeRange';
import { serverNow } from './lib/server-clock';
import { createMatcher, isEditable, type ShortcutCommand } from './lib/shortcuts';
import { STATE_LABELS } from './lib/state-labels';
import { ZONE_CHOICES, type ZoneChoice } from './lib/time-zone';
import { setNetworkUnit, useNetworkUnit } from './lib/units';
import { RAIL_PAGES, type AppActions } from './rail-pages';
import { HOST_TABS } from './views/host/host-tab-registry';

export const LOCAL_HOST_ID = 'local';

/** Shorter and longer ranges for "," and ".": live first, then the presets ending now. */
const RANGE_STEPS: readonly TimeRange[] = [
  { kind: 'live' },
  ...PRESET_LIST.filter((p) => p.id !== 'today' && p.id !== 'yesterday').map((p): TimeRange => ({
    kind: 'preset',
    preset: p.id,
  })),
];

export function steppedRange(current: TimeRange, direction: -1 | 1): TimeRange {
  const index = RANGE_STEPS.findIndex(
    (r) =>
      r.kind === current.kind &&
      (r.kind !== 'preset' || (current.kind === 'preset' && r.preset === current.preset)),
  );
  // Paused, exact or a day preset: "," goes live, "." goes to the shortest preset.
  const from = index === -1 ? 0 : index;
  return RANGE_STEPS[Math.max(0, Math.min(RANGE_STEPS.length - 1, from + direction))]!;
}

export function nextZone(zone: ZoneChoice): ZoneChoice {
  const i = ZONE_CHOICES.findIndex((z) => z.id === zone);
  return ZONE_CHOICES[(i + 1) % ZONE_CHOICES.length]!.id;
}

interface Options {
  route: Route;
  hosts: HostsState;
  actions: AppActions;
  client: HyperionClient;
  openPalette: () => void;
  openHelp: () => void;
  /** While the palette or help is open, only they take keys. */
  overlayOpen: boolean;
  /** The palette's items are built only while it is open (hosts' states change every second). */
  paletteOpen: boolean;
}

export function useAppCommands({
  route,
  hosts,
  actions,
  client,
  openPalette,
  openHelp,
  overlayOpen,
  paletteOpen,
}: Options) {
  const time = useTimeRange();
  const format = useTimeFormat();
  const networkUnit = useNetworkUnit();
  const hostOrder = useMemo(
    () => [
      { id: LOCAL_HOST_ID, name: 'This computer' },
      ...hosts.hosts.map((h) => ({ id: h.id, name: h.name })),
    ],
    [hosts.hosts],
  );
  const currentHost = route.page === 'host' ? route.hostId : undefined;
  const currentTab = route.page === 'host' ? route.tab : undefined;

  const run = useCallback(
    (cmd: ShortcutCommand): boolean => {
      const inHost = currentHost !== undefined;
      switch (cmd.kind) {
        case 'palette':
          openPalette();
          return true;
        case 'help':
          openHelp();
          return true;
        case 'page':
          navigate(pageHref(cmd.id));
          return true;
        case 'host-tab': {
          const tab = HOST_TABS[cmd.index];
          if (!inHost || !tab) return false;
          navigate(hostHref(currentHost, tab.id === 'overview' ? undefined : tab.id));
          return true;
        }
        case 'host-step': {
          if (hostOrder.length === 0) return false;
          const i = hostOrder.findIndex((h) => h.id === currentHost);
          const next = hostOrder[(i + cmd.direction + hostOrder.length) % hostOrder.length]!;
          navigate(hostHref(next.id, currentTab));
          return true;
        }
        default:
          break;
      }
      // The time range shortcuts act where charts are: a host's view.
      if (!inHost) return false;
      const now = serverNow();
      switch (cmd.kind) {
        case 'live':
          time.setRange({ kind: 'live' });
          return true;
        case 'pause-toggle':
          time.setRange(time.range.kind === 'live' ? pausedRange(now) : { kind: 'live' });
          return true;
        case 'range-step':
          time.setRange(steppedRange(time.range, cmd.direction));
          return true;
        case 'pan':
          if (cmd.direction === 1 && time.range.kind === 'live') return true;
          time.setRange(pannedRange(time.range, cmd.direction, now, format.zone));
          return true;
        case 'zoom-out':
          time.setRange(zoomedOutRange(time.range, now, format.zone));
          return true;
        case 'zone-cycle':
          time.setZoneChoice(nextZone(time.zoneChoice));
          return true;
        case 'crosshair-toggle':
          time.setCrosshair(!time.crosshair);
          return true;
        default:
          return false;
      }
    },
    [currentHost, currentTab, hostOrder, openHelp, openPalette, time, format.zone],
  );

  // One listener for the whole app; the latest `run` is read through a ref.
  const runRef = useRef(run);
  const overlayRef = useRef(overlayOpen);
  useEffect(() => {
    runRef.current = run;
    overlayRef.current = overlayOpen;
  });
  useEffect(() => {
    const matcher = createMatcher(
      new Map(RAIL_PAGES.flatMap((p) => (p.key ? [[p.key, p.id] as const] : []))),
    );
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.repeat) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      // Inside a dialog (or while the palette is open) keys belong to it.
      if (overlayRef.current || target?.closest('dialog, [role=dialog]')) return;
      const result = matcher.match(
        {
          key: e.key,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          altKey: e.altKey,
          shiftKey: e.shiftKey,
          editable: isEditable(target),
        },
        performance.now(),
      );
      if (result === 'pending') return;
      if (result && runRef.current(result)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const items = useMemo((): PaletteItem[] => {
    if (!paletteOpen) return [];
    const list: PaletteItem[] = [];
    const stateOf = (id: string) =>
      id === LOCAL_HOST_ID ? 'local' : (hosts.statuses.get(id)?.state ?? 'connecting');
    for (const h of hostOrder) {
      const saved = hosts.hosts.find((x) => x.id === h.id);
      const state = STATE_LABELS[stateOf(h.id)];
      list.push({
        id: `host-${h.id}`,
        group: 'Hosts',
        label: h.name,
        hint: `${state.icon} ${state.label}${saved ? ` · ${saved.address}` : ''}`,
        keywords: `${saved?.tags.join(' ') ?? ''} ${saved?.username ?? ''} ${h.id}`,
        run: () => navigate(hostHref(h.id)),
      });
    }
    if (currentHost !== undefined) {
      const name = hostOrder.find((h) => h.id === currentHost)?.name ?? currentHost;
      HOST_TABS.forEach((tab, i) =>
        list.push({
          id: `tab-${tab.id}`,
          group: 'Host tabs',
          label: `${tab.label}`,
          hint: `${name} · ${(i + 1) % 10}`,
          keywords: tab.keywords,
          run: () => navigate(hostHref(currentHost, tab.id === 'overview' ? undefined : tab.id)),
        }),
      );
    }
    for (const h of hostOrder) {
      for (const tab of HOST_TABS) {
        if (tab.id === 'overview' || h.id === currentHost) continue;
        list.push({
          id: `host-${h.id}-${tab.id}`,
          group: 'Host tabs',
          label: `${h.name} › ${tab.label}`,
          keywords: tab.keywords,
          searchOnly: true,
          run: () => navigate(hostHref(h.id, tab.id)),
        });
      }
    }
    for (const p of RAIL_PAGES) {
      list.push({
        id: `page-${p.id}`,
        group: 'Pages',
        label: p.label,
        hint: p.key ? `g ${p.key}` : undefined,
        keywords: p.keywords,
        run: () => navigate(pageHref(p.id)),
      });
    }
    list.push(
      {
        id: 'time-live',
        group: 'Time',
        label: 'Live',
        hint: 'l',
        keywords: 'now follow resume',
        run: () => time.setRange({ kind: 'live' }),
      },
      {
        id: 'time-pause',
        group: 'Time',
        label: 'Pause live updates',
        hint: 'p',
        keywords: 'freeze stop',
        run: () => time.setRange(pausedRange(serverNow())),
      },
      ...PRESET_LIST.map((p): PaletteItem => ({
        id: `time-${p.id}`,
        group: 'Time',
        label: `Show ${p.title.replace(/, from the store$/, '').replace(/^./, (c) => c.toLowerCase())}`,
        hint: p.label,
        keywords: `range ${p.label} ${p.id}`,
        run: () => time.setRange({ kind: 'preset', preset: p.id }),
      })),
      ...ZONE_CHOICES.map((z): PaletteItem => ({
        id: `zone-${z.id}`,
        group: 'Time',
        label: `Show times in ${z.id === 'utc' ? 'UTC' : z.id === 'host' ? 'the host’s zone' : 'this computer’s zone'}`,
        hint: time.zoneChoice === z.id ? 'current' : 'z',
        keywords: 'timezone zone clock',
        run: () => time.setZoneChoice(z.id),
      })),
      {
        id: 'crosshair',
        group: 'Time',
        label: time.crosshair ? 'Turn the shared crosshair off' : 'Turn the shared crosshair on',
        hint: 'x',
        keywords: 'cursor sync charts',
        run: () => time.setCrosshair(!time.crosshair),
      },
      {
        id: 'units-network',
        group: 'Actions',
        label:
          networkUnit === 'bits'
            ? 'Show network rates in bytes per second'
            : 'Show network rates in bits per second',
        keywords: 'units bits bytes bandwidth',
        run: () => setNetworkUnit(networkUnit === 'bits' ? 'bytes' : 'bits'),
      },
      {
        id: 'action-add-host',
        group: 'Actions',
        label: 'Add a host…',
        keywords: 'new server ssh',
        run: actions.addHost,
      },
      {
        id: 'action-import',
        group: 'Actions',
        label: 'Import hosts from ~/.ssh/config…',
        keywords: 'ssh config',
        run: actions.importHosts,
      },
      {
        id: 'action-help',
        group: 'Actions',
        label: 'Keyboard shortcuts',
        hint: '?',
        keywords: 'help keys',
        run: openHelp,
      },
    );
    for (const h of hosts.hosts) {
      const state = hosts.statuses.get(h.id)?.state;
      if (state && state !== 'up' && state !== 'connecting') {
        list.push({
          id: `action-connect-${h.id}`,
          group: 'Actions',
          label: `Connect ${h.name} now`,
          hint: STATE_LABELS[state].label,
          keywords: 'reconnect retry',
          run: () => void client.call('hosts.reconnect', { id: h.id }).catch(() => undefined),
        });
      }
      list.push({
        id: `action-edit-${h.id}`,
        group: 'Actions',
        label: `Edit ${h.name}…`,
        keywords: 'change settings address',
        searchOnly: true,
        run: () => actions.editHost(h),
      });
    }
    return list;
  }, [paletteOpen, hostOrder, hosts, currentHost, time, actions, client, openHelp, networkUnit]);

  return { items, run };
}
