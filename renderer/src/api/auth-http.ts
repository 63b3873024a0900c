// The sign-in endpoints from the page: JSON in, a validated step (or a typed failure) out.
import {
  AUTH_PATHS,
  AuthError,
  AuthState,
  AuthStep,
  type AuthState as AuthStateT,
  type AuthStep as AuthStepT,
} from '../../../common/schemas/accounts';

export class AuthFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: AuthError,
  ) {
    super(error.message);
    this.name = 'AuthFailure';
  }

  /** The message for one form field, when the server named one. */
  fieldMessage(field: string): string | undefined {
    return this.error.issues?.find((i) => i.path === field || i.path.startsWith(`${field}.`))?.message;
  }
}

/** Hyperion did not answer at all (down, or the network). */
export class Unreachable extends Error {}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { ...init, cache: 'no-store', credentials: 'same-origin' });
  } catch (err) {
    throw new Unreachable((err as Error).message);
  }
}

async function failure(res: Response): Promise<AuthFailure> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const parsed = AuthError.safeParse(body);
  return new AuthFailure(
    res.status,
    parsed.success ? parsed.data : { code: 'internal', message: `Hyperion answered HTTP ${res.status}.` },
  );
}

export async function fetchAuthState(): Promise<AuthStateT> {
  const res = await send(AUTH_PATHS.session, { method: 'GET' });
  if (!res.ok) throw await failure(res);
  return AuthState.parse(await res.json());
}

type StepPath = Exclude<
  (typeof AUTH_PATHS)[keyof typeof AUTH_PATHS],
  typeof AUTH_PATHS.session | typeof AUTH_PATHS.logout
>;

export async function postStep(path: StepPath, body: Record<string, unknown>): Promise<AuthStepT> {
  const res = await send(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  return AuthStep.parse(await res.json());
}

export async function signOut(): Promise<void> {
  await send(AUTH_PATHS.logout, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
}
