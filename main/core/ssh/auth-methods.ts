// Turns resolved credentials into ssh2's login attempts: agent, then key, then password, as ssh does.
import { utils, type AnyAuthMethod, type AuthHandlerMiddleware, type AuthenticationType } from 'ssh2';
import { sshFailure, type SshResult } from './ssh-errors';

/** Credentials already fetched from the secrets port; any combination, tried in the order below. */
export interface SshAuth {
  /** Path of an ssh-agent socket (SSH_AUTH_SOCK). */
  agentSocket?: string;
  /** An OpenSSH or PEM private key. */
  privateKey?: Buffer;
  passphrase?: string;
  password?: string;
}

/** The login methods to offer, in order, with the private key already decrypted. */
export function authMethodsFor(username: string, auth: SshAuth, label: string): SshResult<AnyAuthMethod[]> {
  const methods: AnyAuthMethod[] = [];
  if (auth.agentSocket) methods.push({ type: 'agent', username, agent: auth.agentSocket });
  if (auth.privateKey) {
    const key = utils.parseKey(auth.privateKey, auth.passphrase);
    if (key instanceof Error) {
      const encrypted = /encrypted|passphrase|decrypt|bad decrypt/i.test(key.message);
      return {
        ok: false,
        error: sshFailure(
          'key_unreadable',
          encrypted
            ? `The private key for ${label} could not be unlocked: the passphrase is missing or wrong.`
            : `The private key for ${label} could not be read: it is not a private key ssh understands.`,
          { reason: key.message },
        ),
      };
    }
    methods.push({ type: 'publickey', username, key });
  }
  if (auth.password !== undefined) {
    methods.push({ type: 'password', username, password: auth.password });
    const password = auth.password;
    methods.push({
      type: 'keyboard-interactive',
      username,
      // Answers a single hidden prompt (PAM's "Password:"); anything else is left unanswered.
      prompt: (_name, _instructions, _lang, prompts, finish) =>
        finish(prompts.length === 1 && prompts[0]?.echo !== true ? [password] : []),
    });
  }
  if (methods.length === 0) {
    return {
      ok: false,
      error: sshFailure(
        'no_credentials',
        `No credential is set for ${label}: add a key, a password or an agent.`,
      ),
    };
  }
  return { ok: true, value: methods };
}

/**
 * ssh2's auth handler: first `none` (the server then lists what it accepts, and no secret is sent), then
 * each of our methods the server still accepts. The password goes once: by `password` when offered,
 * otherwise by `keyboard-interactive`, never both, so a wrong password costs one attempt.
 */
export function authHandlerFor(
  username: string,
  methods: readonly AnyAuthMethod[],
  onAttempt?: (type: string) => void,
): AuthHandlerMiddleware {
  const queue = [...methods];
  let sentNone = false;
  let passwordSent = false;
  const handler: AuthHandlerMiddleware = (authsLeft, _partial, next) => {
    if (!sentNone) {
      sentNone = true;
      next({ type: 'none', username });
      return;
    }
    const allowed = new Set<AuthenticationType>(authsLeft ?? []);
    while (queue.length > 0) {
      const method = queue.shift() as AnyAuthMethod;
      const isPasswordLike = method.type === 'password' || method.type === 'keyboard-interactive';
      const serverType = method.type === 'agent' ? 'publickey' : method.type;
      if (!allowed.has(serverType) || (isPasswordLike && passwordSent)) continue;
      if (isPasswordLike) passwordSent = true;
      onAttempt?.(method.type);
      next(method);
      return;
    }
    next(false as unknown as AuthenticationType);
  };
  return handler;
}
