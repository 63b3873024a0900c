// Ctrl+K: one box to reach any host, page, host tab or action by typing a few letters. ↑/↓ move,
// Enter runs, Esc closes; focus returns where it was.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { fuzzyFilter } from '../lib/fuzzy';
import './palette.css';

export interface PaletteItem {
  id: string;
  group: 'Hosts' | 'Pages' | 'Host tabs' | 'Time' | 'Actions';
  label: string;
  /** Right-aligned: a state, a shortcut, an address. */
  hint?: string;
  /** Extra words to match, not shown. */
  keywords?: string;
  /** Only listed once the user types (e.g. every host × every tab). */
  searchOnly?: boolean;
  run: () => void;
}

export function CommandPalette({ items, onClose }: { items: readonly PaletteItem[]; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const listId = useId();
  const results = useMemo(
    () =>
      fuzzyFilter(
        query.trim() ? items : items.filter((i) => !i.searchOnly),
        query,
        (i) => `${i.label} ${i.group} ${i.keywords ?? ''} ${i.hint ?? ''}`,
      ),
    [items, query],
  );

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const el = dialog.current;
    if (el && !el.open) {
      if (typeof el.showModal === 'function') el.showModal();
      else el.setAttribute('open', '');
    }
    input.current?.focus();
    return () => {
      el?.close?.();
      previous?.focus();
    };
  }, []);

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    list.current
      ?.querySelector<HTMLElement>(`[data-index="${active}"]`)
      ?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);

  const run = (item: PaletteItem | undefined) => {
    if (!item) return;
    onClose();
    item.run();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || (e.ctrlKey && e.key === 'n')) {
      e.preventDefault();
      setActive((a) => (results.length ? (a + 1) % results.length : 0));
    } else if (e.key === 'ArrowUp' || (e.ctrlKey && e.key === 'p')) {
      e.preventDefault();
      setActive((a) => (results.length ? (a - 1 + results.length) % results.length : 0));
    } else if (e.key === 'Home' && e.ctrlKey) {
      setActive(0);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      run(results[active]);
    }
  };

  let lastGroup: string | undefined;
  return (
    <dialog
      ref={dialog}
      className="palette"
      aria-label="Command palette"
      data-testid="command-palette"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog itself, outside its box) closes it.
        if (e.target === dialog.current) onClose();
      }}
    >
      <div className="palette-box">
        <input
          ref={input}
          className="palette-input"
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={results[active] ? `${listId}-${active}` : undefined}
          aria-autocomplete="list"
          aria-label="Search hosts, pages and actions"
          placeholder="Go to a host, a page or an action…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid="palette-input"
          spellCheck={false}
          autoComplete="off"
        />
        <ul ref={list} id={listId} role="listbox" className="palette-list" aria-label="Results">
          {results.map((item, i) => {
            const heading = item.group !== lastGroup ? item.group : undefined;
            lastGroup = item.group;
            return (
              <li key={item.id} role="presentation">
                {heading && (
                  <div className="palette-group" role="presentation">
                    {heading}
                  </div>
                )}
                <div
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  data-index={i}
                  className={`palette-item${i === active ? ' active' : ''}`}
                  onMouseMove={() => i !== active && setActive(i)}
                  onClick={() => run(item)}
                  data-testid={`palette-item-${item.id}`}
                >
                  <span className="palette-label">{item.label}</span>
                  {item.hint && <span className="palette-hint">{item.hint}</span>}
                </div>
              </li>
            );
          })}
        </ul>
        {results.length === 0 && (
          <p className="palette-empty" role="status">
            Nothing matches “{query}”. Try a host’s name, a page (Fleet, Settings) or an action (add host,
            24h, UTC).
          </p>
        )}
        <p className="palette-footer muted small" aria-hidden>
          ↑ ↓ to move · Enter to open · Esc to close · ? for every shortcut
        </p>
      </div>
    </dialog>
  );
}
