// The security policy: who needs 2FA, how long sessions last, step-up for dangerous actions, the
// idle app lock, and how long access keys may live. Admins only; the desktop shows its two parts.
import { useEffect, useState, type FormEvent } from 'react';
import type { AccountsPolicy, Me } from '../../../../common/schemas/accounts';
import { useClient } from '../../api/context';
import { Panel } from '../../components/Panel';
import { fieldErrors } from '../../lib/api-errors';

export function PolicySection({ me, onSaved, desktop }: { me: Me; onSaved: () => void; desktop?: boolean }) {
  const client = useClient();
  const [policy, setPolicy] = useState<AccountsPolicy>(me.policy);
  const [message, setMessage] = useState<string>();
  useEffect(() => setPolicy(me.policy), [me.policy]);
  const number = (value: string): number => (value.trim() === '' ? NaN : Number(value));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await client.call('accounts.setPolicy', policy);
      setMessage('Saved.');
      onSaved();
    } catch (err) {
      const { byField, general } = fieldErrors(err);
      setMessage(
        general ??
          Object.entries(byField)
            .map(([f, m]) => `${f}: ${m}`)
            .join('; '),
      );
    }
  };
  const needs2fa = !me.user.twoFactor;
  return (
    <Panel title={desktop ? 'Protect this computer' : 'Security policy'} testId="security-policy">
      <form className="form" onSubmit={save}>
        {!desktop && (
          <>
            <label>
              Two-factor authentication is required for
              <select
                name="twoFactorFor"
                value={policy.twoFactorFor}
                onChange={(e) =>
                  setPolicy({ ...policy, twoFactorFor: e.target.value as AccountsPolicy['twoFactorFor'] })
                }
              >
                <option value="admins">admins</option>
                <option value="operators">operators and admins</option>
                <option value="everyone">everyone</option>
              </select>
            </label>
            <div className="form-row">
              <label className="grow">
                A session ends after this many idle minutes
                <input
                  name="sessionIdleMinutes"
                  inputMode="numeric"
                  value={String(policy.sessionIdleMinutes)}
                  onChange={(e) => setPolicy({ ...policy, sessionIdleMinutes: number(e.target.value) })}
                />
              </label>
              <label className="grow">
                … and at the latest after (hours)
                <input
                  name="sessionMaxHours"
                  inputMode="numeric"
                  value={String(policy.sessionMaxHours)}
                  onChange={(e) => setPolicy({ ...policy, sessionMaxHours: number(e.target.value) })}
                />
              </label>
            </div>
            <label>
              Access keys last at most (days)
              <input
                name="accessKeyMaxDays"
                inputMode="numeric"
                value={String(policy.accessKeyMaxDays)}
                onChange={(e) => setPolicy({ ...policy, accessKeyMaxDays: number(e.target.value) })}
              />
            </label>
          </>
        )}
        <label className="check-row">
          <input
            type="checkbox"
            name="stepUp"
            checked={policy.stepUp.enabled}
            disabled={needs2fa && !policy.stepUp.enabled}
            onChange={(e) =>
              setPolicy({ ...policy, stepUp: { ...policy.stepUp, enabled: e.target.checked } })
            }
          />
          Confirm dangerous actions (kill, stop or disable a service, delete files, commands on many hosts)
          with a 2FA code
        </label>
        <label className="inline">
          One confirmation covers further ones for
          <input
            className="narrow-input"
            name="stepUpMinutes"
            inputMode="numeric"
            value={String(policy.stepUp.validMinutes)}
            onChange={(e) =>
              setPolicy({ ...policy, stepUp: { ...policy.stepUp, validMinutes: number(e.target.value) } })
            }
          />
          minutes (0: ask every time)
        </label>
        <label className="check-row">
          <input
            type="checkbox"
            name="appLock"
            checked={policy.appLock.enabled}
            disabled={needs2fa && !policy.appLock.enabled}
            onChange={(e) =>
              setPolicy({ ...policy, appLock: { ...policy.appLock, enabled: e.target.checked } })
            }
          />
          Lock the app after
          <input
            className="narrow-input"
            name="appLockMinutes"
            inputMode="numeric"
            value={String(policy.appLock.idleMinutes)}
            onChange={(e) =>
              setPolicy({ ...policy, appLock: { ...policy.appLock, idleMinutes: number(e.target.value) } })
            }
          />
          minutes without input (unlock with a 2FA code)
        </label>
        {needs2fa && (
          <p className="muted small">
            Step-up and the app lock need two-factor authentication on your account.
          </p>
        )}
        <div>
          <button type="submit" className="primary">
            Save
          </button>
        </div>
        {message && <p role="status">{message}</p>}
      </form>
    </Panel>
  );
}
