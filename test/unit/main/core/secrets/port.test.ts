import { SecretError } from '../../../../../main/core/secrets/errors';
import {
  channelWebhookRef,
  describeSecretRef,
  hostPassphraseRef,
  hostPasswordRef,
  parseSecretRef,
  SecretRef,
} from '../../../../../main/core/secrets/port';

describe('SecretRef', () => {
  it.each([
    'host:web-1:password',
    'host:db_2:passphrase',
    'channel:ops:webhook',
    `host:${'a'.repeat(63)}:password`,
  ])('accepts %s', (ref) => {
    expect(SecretRef.safeParse(ref).success).toBe(true);
  });

  it.each([
    'host:web-1:token',
    'host:Web-1:password',
    'host::password',
    'host:-web:password',
    `host:${'a'.repeat(64)}:password`,
    'channel:ops:password',
    'host:web-1:password\n',
    'host:web-1:password:extra',
    'user:alice:password',
    'host:../etc:password',
    '',
  ])('refuses %j', (ref) => {
    expect(SecretRef.safeParse(ref).success).toBe(false);
    expect(() => parseSecretRef(ref)).toThrow(SecretError);
  });

  it('builds refs for hosts and channels', () => {
    expect(hostPasswordRef('web-1')).toBe('host:web-1:password');
    expect(hostPassphraseRef('web-1')).toBe('host:web-1:passphrase');
    expect(channelWebhookRef('ops')).toBe('channel:ops:webhook');
  });

  it('refuses to build a ref from an id that is not one', () => {
    let error: unknown;
    try {
      hostPasswordRef('Web 1');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SecretError);
    expect((error as SecretError).reason).toBe('invalid_ref');
    expect((error as SecretError).code).toBe('invalid_input');
    expect((error as SecretError).message).toMatch(/host:<id>:password/);
  });

  it('says what a ref names', () => {
    expect(describeSecretRef(channelWebhookRef('ops'))).toEqual({
      owner: 'channel',
      id: 'ops',
      kind: 'webhook',
    });
  });
});
