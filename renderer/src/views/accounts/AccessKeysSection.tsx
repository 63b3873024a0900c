// Access keys: for a script's WebSocket or a wall screen's #token= link, with your role or less.
import { useCallback, useState, type FormEvent } from 'react';
import type { AccessKeyInfo, Me, Role } from '../../../../common/schemas/accounts';
import type { HyperionClient } from '../../api/client';
import { useClient, useOnConnected } from '../../api/context';
import { Panel } from '../../components/Panel';
import { fieldErrors } from '../../lib/api-errors';
import { formatRelative, formatWhen } from './account-format';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

export function AccessKeysSection({ me }: { me: Me }) {
  const client = useClient();
  const [keys, setKeys] = useState<AccessKeyInfo[]>([]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [days, setDays] = useState(String(Math.min(30, me.policy.accessKeyMaxDays)));
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<{ key: string; name: string }>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string>();
  const load = useCallback((c: HyperionClient) => {
    c.call('accounts.accessKeys', {}).then(setKeys, () => undefined);
  }, []);
  useOnConnected(load);
  const allowed = ROLES.slice(0, ROLES.indexOf(me.role) + 1);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    setGeneral(undefined);
    try {
      const result = await client.call('accounts.createAccessKey', {
        name,
        role,
        days: Number(days),
        password,
      });
      setCreated({ key: result.key, name: result.info.name });
      setName('');
      setPassword('');
      load(client);
    } catch (err) {
      const { byField, general: g } = fieldErrors(err);
      setErrors(byField);
      setGeneral(g);
    }
  };
  const revoke = async (key: AccessKeyInfo) => {
    if (!window.confirm(`Revoke "${key.name}"? Scripts and screens using it are signed out.`)) return;
    await client
      .call('accounts.revokeAccessKey', { id: key.id })
      .catch((err: Error) => setGeneral(err.message));
    load(client);
  };
  const link = created ? `${window.location.origin}/#token=${created.key}` : '';
  return (
    <Panel title="Access keys" wide testId="account-keys">
      <p className="muted small">
        For a script (send it as the WebSocket subprotocol <code>hyperion.token.KEY</code>) or a wall screen
        (open the link). A key signs in without 2FA, so give it the least role it needs.
      </p>
      {created && (
        <div role="status" data-testid="new-access-key">
          <strong>{created.name}</strong> — copy it now, it is not shown again:
          <code className="new-key">{created.key}</code>
          Sign-in link: <code className="new-key">{link}</code>
          <button type="button" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      )}
      {keys.length > 0 && (
        <table className="sessions-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Made</th>
              <th>Expires</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.role}</td>
                <td>{formatWhen(k.createdAt)}</td>
                <td>{formatRelative(k.expiresAt)}</td>
                <td>{k.lastUsedAt ? formatRelative(k.lastUsedAt) : 'never'}</td>
                <td>
                  <button type="button" className="danger" onClick={() => void revoke(k)}>
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="form" onSubmit={create}>
        <div className="form-row">
          <label className="grow">
            Name
            <input
              name="keyName"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="NOC wall screen"
              required
            />
            {errors.name && <span className="field-error">{errors.name}</span>}
          </label>
          <label>
            Role
            <select name="keyRole" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {allowed.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <label className="narrow">
            Days
            <input
              name="keyDays"
              value={days}
              onChange={(e) => setDays(e.target.value)}
              inputMode="numeric"
            />
            {errors.days && <span className="field-error">{errors.days}</span>}
          </label>
        </div>
        <label>
          Your password
          <input
            name="keyPassword"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          {errors.password && <span className="field-error">{errors.password}</span>}
        </label>
        {general && (
          <p className="form-error" role="alert">
            {general}
          </p>
        )}
        <div>
          <button type="submit">Make a key</button>
        </div>
      </form>
    </Panel>
  );
}
