// A host's systemd services, timers and sockets: the list with filters, then the selected unit's details, actions
// (each confirmed, naming the unit and the host), its files and Hyperion's override. A host without
// systemd says so. "?unit=NAME" in the URL selects a unit, so other views can link to it.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ServicesList } from '../../../../common/schemas/services';
import { useClient, useOnConnected } from '../../api/context';
import { EmptyState } from '../../components/Panel';
import { hostHref, useHashRoute } from '../../hooks/useHashRoute';
import type { ToolTabProps } from '../host/host-tab-registry';
import { UnitDetailsPanel } from './UnitDetailsPanel';
import {
  activeTone,
  filterUnits,
  KIND_FILTERS,
  ofKind,
  STATE_FILTERS,
  unitKind,
  type KindFilter,
  type StateFilter,
} from './service-rows';
import './services.css';

const ACTIVE_ICON: Record<string, string> = { active: '●', failed: '✕', inactive: '○' };

/** The list a unit is in: a linked timer or socket opens its own list. */
function kindOf(unit: string | undefined): KindFilter {
  const kind = unit ? unitKind(unit) : 'service';
  return kind === 'timer' || kind === 'socket' ? kind : 'service';
}

export function ServicesTab({ hostId, host }: ToolTabProps) {
  const client = useClient();
  const route = useHashRoute();
  const hostLabel = host?.name ?? 'this computer';
  const [list, setList] = useState<ServicesList>();
  const [error, setError] = useState<string>();
  const [text, setText] = useState('');
  const [state, setState] = useState<StateFilter>('all');
  const urlUnit = route.page === 'host' ? route.params?.unit : undefined;
  const [selected, setSelected] = useState<string | undefined>(urlUnit);
  const [kind, setKind] = useState<KindFilter>(() => kindOf(urlUnit));

  const load = useCallback(
    (c = client) =>
      void c.call('services.list', { host: hostId }).then(
        (l) => {
          setList(l);
          setError(undefined);
        },
        (err: Error) => setError(err.message),
      ),
    [client, hostId],
  );
  useOnConnected(load);
  useEffect(() => {
    if (!urlUnit) return;
    setSelected(urlUnit);
    setKind((k) => (k === 'all' ? k : kindOf(urlUnit)));
  }, [urlUnit]);

  const units = useMemo(
    () => (list?.available ? filterUnits(list.units, text, state, kind) : []),
    [list, text, state, kind],
  );
  const counts = useMemo(() => {
    const all = list?.available ? ofKind(list.units, kind) : [];
    return {
      running: all.filter((u) => u.active === 'active').length,
      failed: all.filter((u) => u.active === 'failed').length,
      total: all.length,
    };
  }, [list, kind]);

  const noun = KIND_FILTERS.find((f) => f.id === kind)!.noun;

  const choose = (name: string) => {
    setSelected(name);
    window.history.replaceState(null, '', hostHref(hostId, 'services', { unit: name }));
  };

  if (error && !list) {
    return (
      <div className="view">
        <EmptyState title="The services could not be listed">{error}</EmptyState>
      </div>
    );
  }
  if (list && !list.available) {
    return (
      <div className="view" data-testid="services-view">
        <EmptyState title="systemd not available">{list.reason}</EmptyState>
      </div>
    );
  }
  return (
    <div className="view services-view" data-testid="services-view">
      <div className="toolbar svc-toolbar">
        <input
          type="search"
          placeholder="Search units and descriptions"
          aria-label="Search units"
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="services-filter"
        />
        <ToggleGroup
          label="Unit type"
          testId="services-kind"
          options={KIND_FILTERS}
          value={kind}
          onChange={setKind}
        />
        <ToggleGroup
          label="Show"
          testId="services-state"
          options={STATE_FILTERS.map((f) => ({
            ...f,
            label:
              f.id === 'running'
                ? `${f.label} ${counts.running}`
                : f.id === 'failed'
                  ? `${f.label} ${counts.failed}`
                  : f.label,
          }))}
          value={state}
          onChange={setState}
        />
        <button type="button" onClick={() => load()} data-testid="services-refresh">
          Refresh
        </button>
        <span className="muted small">
          {list ? `${units.length} of ${counts.total} ${noun}` : 'Loading…'}
        </span>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="svc-layout">
        <div className="svc-list" role="listbox" aria-label="Services" data-testid="services-list">
          {units.map((u) => (
            <button
              key={u.name}
              type="button"
              role="option"
              aria-selected={u.name === selected}
              className={`svc-item${u.name === selected ? ' selected' : ''}`}
              onClick={() => choose(u.name)}
              data-testid={`service-${u.name}`}
            >
              <span className={`svc-state ${activeTone(u.active)}`} aria-hidden>
                {ACTIVE_ICON[u.active] ?? '◐'}
              </span>
              <span className="svc-name">{u.name}</span>
              <span className="svc-sub muted small">
                {u.active}/{u.sub}
                {u.enabled && ` · ${u.enabled}`}
              </span>
              <span className="svc-desc muted small">{u.description}</span>
            </button>
          ))}
          {list && units.length === 0 && (
            <p className="muted" data-testid="services-empty">
              {counts.total === 0 ? `No ${noun} on ${hostLabel}.` : `No ${noun} match the filters.`}
            </p>
          )}
        </div>
        <div className="svc-detail">
          {selected ? (
            <UnitDetailsPanel
              key={selected}
              hostId={hostId}
              hostLabel={hostLabel}
              unit={selected}
              onChanged={() => load()}
            />
          ) : (
            <p className="muted">Select a unit to see its state, files and journal, and to act on it.</p>
          )}
        </div>
      </div>
    </div>
  );
}

/** Buttons of which one is pressed: the unit type, or the state, shown. */
function ToggleGroup<T extends string>(props: {
  label: string;
  testId: string;
  options: readonly { id: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <div className="svc-states" role="group" aria-label={props.label}>
      {props.options.map((f) => (
        <button
          key={f.id}
          type="button"
          className="tag"
          aria-pressed={props.value === f.id}
          onClick={() => props.onChange(f.id)}
          data-testid={`${props.testId}-${f.id}`}
        >
          {f.label}
        </button>
      ))}
    </div>
  );
}
