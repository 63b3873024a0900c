// Login attempts: what is offered, in which order, and a password sent at most once.
import { utils, type AnyAuthMethod, type AuthenticationType } from 'ssh2';
import { authHandlerFor, authMethodsFor } from '../../../../../main/core/ssh/auth-methods';

const plain = utils.generateKeyPairSync('ed25519');
/**
 * ssh2 cannot read back about 1 in 150 of the encrypted keys it generates ("Malformed OpenSSH
 * private key", measured here): take the first one it reads, so the test is about our code.
 */
function readableEncryptedKey() {
  for (let i = 0; i < 20; i++) {
    const pair = utils.generateKeyPairSync('ed25519', {
      passphrase: 'secret',
      cipher: 'aes256-ctr',
      rounds: 4,
    });
    if (!(utils.parseKey(Buffer.from(pair.private), 'secret') instanceof Error)) return pair;
  }
  throw new Error('ssh2 could not read any encrypted key it generated');
}
const encrypted = readableEncryptedKey();

/** Runs the handler the way ssh2 does, with the methods the server still accepts. */
function sequence(methods: AnyAuthMethod[], serverAccepts: AuthenticationType[]): (string | false)[] {
  const handler = authHandlerFor('alice', methods);
  const sent: (string | false)[] = [];
  let first = true;
  for (let i = 0; i < 10; i++) {
    let next: AnyAuthMethod | false | undefined;
    handler(first ? (null as unknown as AuthenticationType[]) : serverAccepts, false, (m) => {
      next = m as AnyAuthMethod | false;
    });
    first = false;
    sent.push(next === false || next === undefined ? false : next.type);
    if (next === false) break;
  }
  return sent;
}

describe('authMethodsFor', () => {
  it('orders agent, key, password (with keyboard-interactive as the password fallback)', () => {
    const result = authMethodsFor(
      'alice',
      { agentSocket: '/run/agent.sock', privateKey: Buffer.from(plain.private), password: 'pw' },
      'web1:22',
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.map((m) => m.type)).toEqual([
      'agent',
      'publickey',
      'password',
      'keyboard-interactive',
    ]);
  });

  it('unlocks an encrypted key with its passphrase', () => {
    const result = authMethodsFor(
      'alice',
      { privateKey: Buffer.from(encrypted.private), passphrase: 'secret' },
      'h',
    );
    expect(result.ok).toBe(true);
  });

  it('explains a wrong or missing passphrase, and an unreadable key', () => {
    for (const passphrase of [undefined, 'wrong']) {
      const result = authMethodsFor(
        'alice',
        { privateKey: Buffer.from(encrypted.private), passphrase },
        'web1:22',
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'key_unreadable' } });
      if (!result.ok) expect(result.error.message).toMatch(/passphrase is missing or wrong/);
    }
    const garbage = authMethodsFor('alice', { privateKey: Buffer.from('not a key') }, 'web1:22');
    if (garbage.ok) throw new Error('accepted garbage');
    expect(garbage.error.message).toMatch(/not a private key/);
  });

  it('refuses to try with nothing', () => {
    expect(authMethodsFor('alice', {}, 'web1:22')).toMatchObject({
      ok: false,
      error: { code: 'no_credentials' },
    });
  });
});

describe('authHandlerFor', () => {
  const methods = (() => {
    const r = authMethodsFor('alice', { privateKey: Buffer.from(plain.private), password: 'pw' }, 'h');
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  })();

  it('starts with none, then offers what the server accepts, password once', () => {
    expect(sequence(methods, ['publickey', 'password', 'keyboard-interactive'])).toEqual([
      'none',
      'publickey',
      'password',
      false,
    ]);
  });

  it('uses keyboard-interactive for the password when the server has no password method', () => {
    expect(sequence(methods, ['keyboard-interactive'])).toEqual(['none', 'keyboard-interactive', false]);
  });

  it('skips what the server does not accept', () => {
    expect(sequence(methods, ['publickey'])).toEqual(['none', 'publickey', false]);
  });

  it('answers a single hidden prompt with the password, nothing else', () => {
    const kbd = methods.find((m) => m.type === 'keyboard-interactive');
    if (kbd?.type !== 'keyboard-interactive') throw new Error('no keyboard-interactive');
    const answers: string[][] = [];
    kbd.prompt('', '', '', [{ prompt: 'Password: ', echo: false }], (a) => answers.push(a));
    kbd.prompt('', '', '', [{ prompt: 'Code: ', echo: true }], (a) => answers.push(a));
    expect(answers).toEqual([['pw'], []]);
  });
});
