// Hosts pinned to the top of the fleet, kept in this browser.
import { useCallback, useState } from 'react';

const KEY = 'hyperion.pinnedHosts';

function read(): Set<string> {
  try {
    const list: unknown = JSON.parse(window.localStorage.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function usePinnedHosts(): { pinned: ReadonlySet<string>; toggle: (id: string) => void } {
  const [pinned, setPinned] = useState<ReadonlySet<string>>(read);
  const toggle = useCallback((id: string) => {
    setPinned((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      try {
        window.localStorage.setItem(KEY, JSON.stringify([...next]));
      } catch {
        // storage unavailable: pinned for this page only
      }
      return next;
    });
  }, []);
  return { pinned, toggle };
}
