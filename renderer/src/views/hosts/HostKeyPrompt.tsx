// Shows the key a host presents and asks the person to verify it before anything is sent to it.
import { useState } from 'react';
import type { Host, HostStatus } from '../../../../common/schemas/hosts';
import { useClient } from '../../api/context';
import { Dialog } from '../../components/Dialog';

export function HostKeyPrompt({
  host,
  status,
  onClose,
}: {
  host: Host;
  status: HostStatus;
  onClose: () => void;
}) {
  const client = useClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const key = status.hostKey;
  if (!key) return null;
  const changed = status.state === 'host_key_mismatch';

  const accept = async () => {
    setBusy(true);
    try {
      await client.call('hosts.acceptKey', { id: host.id, fingerprint: key.fingerprint });
      onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={changed ? `The host key of ${host.name} has CHANGED` : `Verify the host key of ${host.name}`}
      onClose={onClose}
      testId="host-key-prompt"
    >
      {changed ? (
        <p className="form-error">
          The server at {host.address}:{host.port} presents a different key than the one on record. This
          happens after a reinstall — or when someone is intercepting the connection. Nothing was sent to it.
          Replace the key only if you know why it changed.
        </p>
      ) : (
        <p>
          Hyperion has never connected to {host.address}:{host.port}. Compare this fingerprint with the one
          the server shows (
          <code>
            ssh-keygen -lf /etc/ssh/ssh_host_{key.keyType.replace(/^ssh-/, '').replace(/^ecdsa.*/, 'ecdsa')}
            _key.pub
          </code>{' '}
          on the server) before you trust it. No password or key has been sent yet.
        </p>
      )}
      <dl className="facts">
        <dt>Presented key ({key.keyType})</dt>
        <dd>
          <code data-testid="presented-fingerprint">{key.fingerprint}</code>
        </dd>
        {key.expectedFingerprints.length > 0 && (
          <>
            <dt>On record</dt>
            {key.expectedFingerprints.map((f) => (
              <dd key={f}>
                <code>{f}</code>
              </dd>
            ))}
          </>
        )}
      </dl>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {changed ? 'Keep refusing' : 'Not now'}
        </button>
        <button
          type="button"
          className={changed ? 'danger' : 'primary'}
          onClick={accept}
          disabled={busy}
          data-testid="accept-key"
        >
          {changed ? 'Replace the key and connect' : 'Trust this key and connect'}
        </button>
      </div>
    </Dialog>
  );
}
