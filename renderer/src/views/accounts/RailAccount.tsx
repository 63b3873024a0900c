// The rail's account corner: who is signed in and with which role, a link to the account page, and
// sign-out; plus the Users page link for admins of the served app.
import { useAccount } from './AccountProvider';
import './accounts.css';

export function UsersRailLink({ active }: { active: boolean }) {
  const { me, mode } = useAccount();
  if (mode !== 'browser' || me?.role !== 'admin') return null;
  return (
    <a
      className={`rail-link${active ? ' active' : ''}`}
      href="#/users"
      aria-current={active ? 'page' : undefined}
      data-testid="rail-users"
    >
      Users
    </a>
  );
}

export function RailAccount({ active }: { active: boolean }) {
  const { me, mode, signOut } = useAccount();
  if (!me) return null;
  return (
    <div className="rail-account">
      <a
        className={`rail-link${active ? ' active' : ''}`}
        href="#/account"
        aria-current={active ? 'page' : undefined}
        data-testid="rail-account"
      >
        <span>
          {me.kind === 'desktop' ? 'This computer' : me.user.username}
          <span className="muted small" data-testid="rail-role">
            {' '}
            · {me.role}
          </span>
        </span>
      </a>
      {mode === 'browser' && (
        <button
          type="button"
          className="link-button small"
          onClick={() => void signOut()}
          data-testid="rail-sign-out"
        >
          Sign out
        </button>
      )}
    </div>
  );
}
