// The units setting (UI.md 2): network in bits or bytes per second, kept per browser. Changing it
// redraws every view (App keys its main area on it), since formatters read it when drawing.
import { useSyncExternalStore } from 'react';
import { setNetworkUnitFormat, type NetworkUnit } from './format';

const KEY = 'hyperion.networkUnit';
const listeners = new Set<() => void>();

function read(): NetworkUnit {
  try {
    return window.localStorage.getItem(KEY) === 'bytes' ? 'bytes' : 'bits';
  } catch {
    return 'bits';
  }
}

let current: NetworkUnit = typeof window === 'undefined' ? 'bits' : read();
setNetworkUnitFormat(current);

export function setNetworkUnit(unit: NetworkUnit): void {
  if (unit === current) return;
  current = unit;
  setNetworkUnitFormat(unit);
  try {
    window.localStorage.setItem(KEY, unit);
  } catch {
    // storage unavailable: the choice holds for this page
  }
  for (const l of listeners) l();
}

export function useNetworkUnit(): NetworkUnit {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
