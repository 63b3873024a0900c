// Users (admins): every account with its role, 2FA and sign-in state; add people, change roles,
// reset passwords and 2FA, lift lockouts, sign out, disable or delete; and the security policy.
import { useCallback, useState, type FormEvent } from 'react';
import type { Role, UserInfo } from '../../../../common/schemas/accounts';
import type { HyperionClient } from '../../api/client';
import { useClient, useOnConnected } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { Panel } from '../../components/Panel';
import { fieldErrors } from '../../lib/api-errors';
import { formatRelative, formatWhen, generatePassword } from './account-format';
import { useAccount } from './AccountProvider';
import { PolicySection } from './PolicySection';
import './accounts.css';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

function AddUserDialog(props: { onClose: () => void; onAdded: (user: UserInfo, password: string) => void }) {
  const client = useClient();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState(() => generatePassword());
  const [mustChange, setMustChange] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const user = await client.call('users.create', {
        username,
        role,
        password,
        mustChangePassword: mustChange,
      });
      props.onAdded(user, password);
    } catch (err) {
      const { byField, general: g } = fieldErrors(err);
      setErrors(byField);
      setGeneral(g);
    }
  };
  return (
    <Dialog title="Add a user" onClose={props.onClose} testId="add-user-dialog">
      <form className="form" onSubmit={submit}>
        <label>
          User name
          <input
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
          {errors.username && <span className="field-error">{errors.username}</span>}
        </label>
        <label>
          Role
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          First password (give it to them in person or by another channel)
          <span className="form-row">
            <input
              name="password"
              className="grow"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
            <button type="button" onClick={() => setPassword(generatePassword())}>
              New
            </button>
          </span>
          {errors.password && <span className="field-error">{errors.password}</span>}
        </label>
        <label className="check-row">
          <input
            type="checkbox"
            name="mustChangePassword"
            checked={mustChange}
            onChange={(e) => setMustChange(e.target.checked)}
          />
          They choose their own password at the first sign-in
        </label>
        {general && (
          <p className="form-error" role="alert">
            {general}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Add user
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function UserState({ user }: { user: UserInfo }) {
  const parts: string[] = [];
  if (user.disabled) parts.push('disabled');
  if (user.lockedUntil) parts.push(`locked, ${formatRelative(user.lockedUntil)}`);
  if (user.mustChangePassword) parts.push('must choose a password');
  if (!user.twoFactor && user.twoFactorRequired) parts.push('sets up 2FA at next sign-in');
  return (
    <span className={parts.length ? 'tone-warn' : 'muted'}>
      {parts.length ? parts.join(' · ') : 'active'}
    </span>
  );
}

export function UsersPage() {
  const client = useClient();
  const { me, reload } = useAccount();
  const [users, setUsers] = useState<UserInfo[]>();
  const [adding, setAdding] = useState(false);
  const [message, setMessage] = useState<string>();
  const load = useCallback((c: HyperionClient) => {
    c.call('users.list', {}).then(setUsers, (err: Error) => setMessage(err.message));
  }, []);
  useOnConnected(load);

  const act = async (what: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      await run();
      setMessage(what);
    } catch (err) {
      const { general, byField } = fieldErrors(err);
      setMessage(general ?? Object.values(byField).join(' '));
    }
    load(client);
  };

  if (me && me.kind === 'desktop') {
    return (
      <div className="view" data-testid="users-view">
        <p className="muted">The desktop app has one user: you. Accounts are for hyperion serve.</p>
      </div>
    );
  }
  return (
    <div className="view" data-testid="users-view">
      <header className="view-header">
        <h1>Users</h1>
        <button type="button" className="primary" onClick={() => setAdding(true)} data-testid="add-user">
          Add user
        </button>
      </header>
      {message && (
        <p role="status" data-testid="users-message">
          {message}
        </p>
      )}
      <div className="panel-grid">
        <Panel title="Accounts" wide>
          {users === undefined ? (
            <p className="muted">Loading…</p>
          ) : (
            <table className="users-table">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Role</th>
                  <th>2FA</th>
                  <th>Last sign-in</th>
                  <th>Sessions</th>
                  <th>State</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => {
                  const self = u.username === me?.user.username;
                  return (
                    <tr key={u.username} data-testid={`user-row-${u.username}`}>
                      <td>
                        <strong>{u.username}</strong>
                        {self && <span className="muted"> (you)</span>}
                      </td>
                      <td>
                        <select
                          aria-label={`Role of ${u.username}`}
                          name={`role-${u.username}`}
                          value={u.role}
                          onChange={(e) =>
                            void act(`${u.username} is now ${e.target.value}.`, () =>
                              client.call('users.setRole', {
                                username: u.username,
                                role: e.target.value as Role,
                              }),
                            )
                          }
                        >
                          {ROLES.map((r) => (
                            <option key={r}>{r}</option>
                          ))}
                        </select>
                      </td>
                      <td>
                        {u.twoFactor ? (
                          <span className="tone-ok">✓ on</span>
                        ) : (
                          <span className="muted">off</span>
                        )}
                      </td>
                      <td>
                        {formatWhen(u.lastLoginAt)}
                        {u.lastLoginAddress && <div className="muted small">from {u.lastLoginAddress}</div>}
                      </td>
                      <td>{u.activeSessions}</td>
                      <td>
                        <UserState user={u} />
                      </td>
                      <td>
                        <div className="actions">
                          <button
                            type="button"
                            onClick={() => {
                              const password = generatePassword();
                              void act(
                                `New temporary password for ${u.username}: ${password} (they choose their own at the next sign-in).`,
                                () => client.call('users.resetPassword', { username: u.username, password }),
                              );
                            }}
                          >
                            Reset password
                          </button>
                          {u.twoFactor && (
                            <button
                              type="button"
                              onClick={() =>
                                void act(`${u.username}'s 2FA was removed.`, () =>
                                  client.call('users.resetTwoFactor', { username: u.username }),
                                )
                              }
                            >
                              Reset 2FA
                            </button>
                          )}
                          {u.lockedUntil && (
                            <button
                              type="button"
                              onClick={() =>
                                void act(`${u.username} may sign in again.`, () =>
                                  client.call('users.unlock', { username: u.username }),
                                )
                              }
                            >
                              Unlock
                            </button>
                          )}
                          {u.activeSessions > 0 && !self && (
                            <button
                              type="button"
                              onClick={() =>
                                void act(`${u.username} was signed out.`, () =>
                                  client.call('users.endSessions', { username: u.username }),
                                )
                              }
                            >
                              Sign out
                            </button>
                          )}
                          {!self && (
                            <button
                              type="button"
                              onClick={() =>
                                void act(
                                  u.disabled ? `${u.username} is enabled.` : `${u.username} is disabled.`,
                                  () =>
                                    client.call('users.setDisabled', {
                                      username: u.username,
                                      disabled: !u.disabled,
                                    }),
                                )
                              }
                            >
                              {u.disabled ? 'Enable' : 'Disable'}
                            </button>
                          )}
                          {!self && (
                            <button
                              type="button"
                              className="danger"
                              onClick={() => {
                                if (
                                  !window.confirm(`Delete ${u.username}'s account, sessions and access keys?`)
                                )
                                  return;
                                void act(`${u.username} was deleted.`, () =>
                                  client.call('users.remove', { username: u.username }),
                                );
                              }}
                            >
                              Delete
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </Panel>
        {me && <PolicySection me={me} onSaved={reload} />}
      </div>
      {adding && (
        <AddUserDialog
          onClose={() => setAdding(false)}
          onAdded={(user, password) => {
            setAdding(false);
            setMessage(`${user.username} was added as ${user.role}. First password: ${password}`);
            load(client);
          }}
        />
      )}
    </div>
  );
}
