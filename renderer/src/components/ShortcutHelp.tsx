// "?": every keyboard shortcut, from the same table the handler uses (lib/shortcuts.ts).
import type { ShortcutGroup } from '../lib/shortcuts';
import { Dialog } from './Dialog';

export function ShortcutHelp({ groups, onClose }: { groups: readonly ShortcutGroup[]; onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcut-help" wide>
      <div className="shortcut-groups">
        {groups.map((g) => (
          <section key={g.title} aria-label={g.title}>
            <h3>{g.title}</h3>
            <table className="shortcut-table">
              <tbody>
                {g.items.map((item) => (
                  <tr key={`${item.keys.join('+')}-${item.description}`}>
                    <th scope="row">
                      {item.keys.map((k, i) => (
                        <span key={i}>
                          {i > 0 && <span className="muted"> {item.keys[0] === 'g' ? 'then' : '+'} </span>}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </th>
                    <td>{item.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
