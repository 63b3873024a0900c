// TOTP against the published test vectors of RFC 6238 (appendix B) and RFC 4226 (appendix D), the
// ±1-step window, replay refusal, and base32 as authenticator apps write it.
import {
  base32Decode,
  base32Encode,
  hotp,
  newTotpSecret,
  otpauthUri,
  totp,
  totpCounter,
  verifyTotp,
  type TotpAlgorithm,
} from '../../../../../main/core/accounts/totp';

const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890', 'ascii'),
  sha256: Buffer.from('12345678901234567890123456789012', 'ascii'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii'),
};

// RFC 6238, appendix B: time (s), then the 8-digit TOTP for SHA-1, SHA-256 and SHA-512.
const RFC6238: [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('HOTP (RFC 4226 appendix D)', () => {
  it('gives the ten published codes for counters 0 to 9', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotp(SEEDS.sha1, counter))).toEqual(expected);
  });

  it('refuses a negative counter', () => {
    expect(() => hotp(SEEDS.sha1, -1)).toThrow(RangeError);
  });
});

describe('TOTP (RFC 6238 appendix B)', () => {
  it.each(RFC6238)(
    'at %i s gives %s (SHA-1), %s (SHA-256), %s (SHA-512)',
    (seconds, sha1, sha256, sha512) => {
      const at = seconds * 1000;
      const params = (algorithm: TotpAlgorithm) => ({ periodSec: 30, digits: 8 as const, algorithm });
      expect(totp(SEEDS.sha1, at, params('sha1'))).toBe(sha1);
      expect(totp(SEEDS.sha256, at, params('sha256'))).toBe(sha256);
      expect(totp(SEEDS.sha512, at, params('sha512'))).toBe(sha512);
    },
  );

  it('counts 30-second steps from the epoch', () => {
    expect(totpCounter(59_000)).toBe(1);
    expect(totpCounter(1111111109_000)).toBe(0x23523ec);
    expect(totpCounter(29_999)).toBe(0);
  });
});

describe('verifyTotp', () => {
  const key = SEEDS.sha1;
  const now = 1_700_000_015_000; // 15 s into a step
  const step = totpCounter(now);

  it('accepts the code of now and of one step either side, and says which step matched', () => {
    expect(verifyTotp(key, hotp(key, step), now)).toEqual({ counter: step });
    expect(verifyTotp(key, hotp(key, step - 1), now)).toEqual({ counter: step - 1 });
    expect(verifyTotp(key, hotp(key, step + 1), now)).toEqual({ counter: step + 1 });
  });

  it('refuses a code outside the window: two steps old or two steps ahead', () => {
    expect(verifyTotp(key, hotp(key, step - 2), now)).toBeUndefined();
    expect(verifyTotp(key, hotp(key, step + 2), now)).toBeUndefined();
    // The same code, 31 s after its window closed.
    expect(verifyTotp(key, hotp(key, step), now + 61_000)).toBeUndefined();
  });

  it('refuses a code used before, and any code of an earlier step (RFC 6238 §5.2)', () => {
    expect(verifyTotp(key, hotp(key, step), now, { lastUsedCounter: step })).toBeUndefined();
    expect(verifyTotp(key, hotp(key, step - 1), now, { lastUsedCounter: step })).toBeUndefined();
    expect(verifyTotp(key, hotp(key, step + 1), now, { lastUsedCounter: step })).toEqual({
      counter: step + 1,
    });
  });

  it('takes "123 456" as typed and refuses what is not six digits', () => {
    const code = hotp(key, step);
    expect(verifyTotp(key, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toEqual({ counter: step });
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`])
      expect(verifyTotp(key, bad, now)).toBeUndefined();
  });

  it('refuses a code made with another secret', () => {
    expect(verifyTotp(Buffer.from('another secret, 20 b'), hotp(key, step), now)).toBeUndefined();
  });
});

describe('base32 and the otpauth URI', () => {
  it('matches RFC 4648’s examples, without padding', () => {
    const cases: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
  });

  it('reads a secret typed in lowercase with spaces, and refuses other characters', () => {
    expect(base32Decode('mzxw 6ytb oi').toString()).toBe('foobar');
    expect(base32Decode('MZXW6YTBOI======').toString()).toBe('foobar');
    expect(() => base32Decode('MZXW1')).toThrow(/not a base32/);
  });

  it('makes 160-bit secrets, each different', () => {
    const a = newTotpSecret();
    expect(base32Decode(a)).toHaveLength(20);
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('writes the key URI authenticator apps scan', () => {
    const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'alice', 'Hyperion'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Hyperion:alice');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'Hyperion',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
