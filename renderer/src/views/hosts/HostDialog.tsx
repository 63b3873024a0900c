// Add or edit a saved host. Validation happens on the server, against the same schema, and each
// message is shown beside its field. Secrets are write-only: an edit never shows the stored one.
import { useState, type FormEvent } from 'react';
import type { AuthMethod, Host } from '../../../../common/schemas/hosts';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';
import { fieldErrors, type FieldErrors } from '../../lib/api-errors';

interface Props {
  host?: Host;
  hosts: Host[];
  onClose: () => void;
  onSaved: (host: Host) => void;
}

export function HostDialog({ host, hosts, onClose, onSaved }: Props) {
  const client = useClient();
  const [name, setName] = useState(host?.name ?? '');
  const [address, setAddress] = useState(host?.address ?? '');
  const [port, setPort] = useState(String(host?.port ?? 22));
  const [username, setUsername] = useState(host?.username ?? '');
  const [method, setMethod] = useState<AuthMethod>(host?.auth.method ?? 'agent');
  const [keyPath, setKeyPath] = useState(host?.auth.keyPath ?? '~/.ssh/id_ed25519');
  const [secret, setSecret] = useState('');
  const [tags, setTags] = useState(host?.tags.join(', ') ?? '');
  const [proxyJump, setProxyJump] = useState(host?.proxyJump ?? '');
  const [errors, setErrors] = useState<FieldErrors>({ byField: {}, general: undefined });
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const input = {
      name,
      address,
      port: Number(port),
      username,
      auth: {
        method,
        keyPath: method === 'key' ? keyPath : undefined,
        // Editing with the field left empty keeps the stored secret.
        secret: secret === '' && host ? undefined : method === 'agent' ? undefined : secret,
      },
      proxyJump: proxyJump || null,
      tags: tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    };
    try {
      const saved = host
        ? await client.call('hosts.update', { id: host.id, host: input })
        : await client.call('hosts.add', input);
      onSaved(saved);
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setSaving(false);
    }
  };

  const err = (path: string) =>
    errors.byField[path] ? (
      <span className="field-error" role="alert" data-testid={`error-${path}`}>
        {errors.byField[path]}
      </span>
    ) : null;

  return (
    <Dialog title={host ? `Edit ${host.name}` : 'Add a host'} onClose={onClose} testId="host-dialog">
      <form onSubmit={submit} className="form" noValidate>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="web-1"
            autoFocus
            name="name"
          />
          {err('name')}
        </label>
        <div className="form-row">
          <label className="grow">
            Address
            <input
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              placeholder="web-1.example.org or 192.0.2.10"
              name="address"
            />
            {err('address')}
          </label>
          <label className="narrow">
            Port
            <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" name="port" />
            {err('port')}
          </label>
        </div>
        <label>
          User
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            placeholder="admin"
            name="username"
            autoComplete="off"
          />
          {err('username')}
        </label>
        <fieldset>
          <legend>Log in with</legend>
          {(['agent', 'key', 'password'] as const).map((m) => (
            <label key={m} className="radio">
              <input
                type="radio"
                name="method"
                value={m}
                checked={method === m}
                onChange={() => setMethod(m)}
              />
              {m === 'agent' ? 'SSH agent' : m === 'key' ? 'Key file' : 'Password'}
            </label>
          ))}
        </fieldset>
        {method === 'key' && (
          <>
            <label>
              Private key file
              <input value={keyPath} onChange={(e) => setKeyPath(e.target.value)} name="keyPath" />
              {err('auth.keyPath')}
            </label>
            <label>
              Passphrase <span className="muted">(if the key has one; kept in the secret store)</span>
              <input
                type="password"
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                name="passphrase"
                autoComplete="new-password"
                placeholder={host?.auth.hasSecret ? 'unchanged' : ''}
              />
              {err('auth.secret')}
            </label>
          </>
        )}
        {method === 'password' && (
          <label>
            Password <span className="muted">(kept in the secret store, never in Hyperion’s database)</span>
            <input
              type="password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              name="password"
              autoComplete="new-password"
              placeholder={host?.auth.hasSecret ? 'unchanged' : ''}
            />
            {err('auth.secret')}
          </label>
        )}
        <label>
          Jump host <span className="muted">(ProxyJump)</span>
          <select value={proxyJump} onChange={(e) => setProxyJump(e.target.value)} name="proxyJump">
            <option value="">None: connect directly</option>
            {hosts
              .filter((h) => h.id !== host?.id)
              .map((h) => (
                <option key={h.id} value={h.id}>
                  {h.name}
                </option>
              ))}
          </select>
          {err('proxyJump')}
        </label>
        <label>
          Tags <span className="muted">(comma-separated)</span>
          <input
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            placeholder="web, production"
            name="tags"
          />
          {err('tags')}
        </label>
        {errors.general && (
          <p className="form-error" role="alert" data-testid="form-error">
            {errors.general}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving} data-testid="save-host">
            {saving ? 'Saving…' : host ? 'Save' : 'Add host'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
