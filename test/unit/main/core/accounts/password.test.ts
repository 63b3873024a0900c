// scrypt password hashes: a fresh salt each time, the cost kept beside the hash, wrong passwords and
// damaged hashes refused.
import {
  decoyHash,
  hashPassword,
  needsRehash,
  parseHash,
  verifyPassword,
} from '../../../../../main/core/accounts/password';

// A low cost keeps the unit tests quick; the format and the checks are the same.
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', CHEAP);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapl', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts each hash: the same password twice gives two different hashes', async () => {
    const a = await hashPassword('same password here', CHEAP);
    const b = await hashPassword('same password here', CHEAP);
    expect(a).not.toBe(b);
    expect(parseHash(a)!.salt.equals(parseHash(b)!.salt)).toBe(false);
    expect(a).not.toContain('same password');
  });

  it('keeps the cost with the hash and says when it is below today’s', async () => {
    const stored = await hashPassword('a long enough password', CHEAP);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(parseHash(stored)!.cost).toEqual(CHEAP);
    expect(needsRehash(stored)).toBe(true);
    expect(needsRehash(stored, CHEAP)).toBe(false);
  });

  it('treats equivalent Unicode spellings as one password (NFKC)', async () => {
    const stored = await hashPassword('caf\u00e9 au lait, s’il vous plaît', CHEAP);
    await expect(verifyPassword('cafe\u0301 au lait, s’il vous plaît', stored)).resolves.toBe(true);
  });

  it('refuses damaged or foreign hashes instead of throwing', async () => {
    for (const bad of ['', 'plain', 'bcrypt$2b$10$abc', 'scrypt$x$8$1$a$b', 'scrypt$1024$8$1$a']) {
      await expect(verifyPassword('anything', bad)).resolves.toBe(false);
    }
  });

  it('has a decoy hash nobody’s password matches (for unknown user names)', async () => {
    const decoy = await decoyHash();
    expect(parseHash(decoy)).toBeDefined();
    await expect(verifyPassword('', decoy)).resolves.toBe(false);
    expect(await decoyHash()).toBe(decoy);
  });
});
