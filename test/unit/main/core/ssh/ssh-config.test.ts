// ~/.ssh/config import: a fixture home with Include, checked by hand and against the real `ssh -G`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globFiles, loadSshConfig } from '../../../../../main/core/ssh/ssh-config-files';
import {
  expandTokens,
  importSshConfig,
  parseJumpSpec,
  resolveSshHost,
} from '../../../../../main/core/ssh/ssh-config';
import { parseSshConfigText, splitLine, tokenize } from '../../../../../main/core/ssh/ssh-config-parse';
import { FIXTURES } from '../../../../helpers/fixtures';

const HOME = join(FIXTURES, 'ssh', 'home');
const SSH_DIR = join(HOME, '.ssh');
const CONFIG = join(SSH_DIR, 'config');

const load = () => loadSshConfig({ home: HOME, localUser: 'alice' });

describe('loadSshConfig on the fixture home', () => {
  it('lists the named hosts in file order, included files in place, wildcards left out', () => {
    expect(load().hosts.map((h) => h.alias)).toEqual([
      'lab1',
      'quoted',
      'web1',
      'web2',
      'db',
      'bastion',
      'deep',
      'legacy',
      'api.example.org',
      'web2.example.org',
    ]);
  });

  it('resolves a host with HostName tokens, the first User that applies and Host * defaults', () => {
    const web1 = load().hosts.find((h) => h.alias === 'web1');
    expect(web1).toEqual({
      alias: 'web1',
      hostname: 'web1.example.org',
      user: 'deploy',
      port: 22,
      identityFiles: [`${HOME}/.ssh/id_ed25519`],
      source: { file: CONFIG, line: 4 },
    });
  });

  it('accumulates IdentityFile with ~ and %d %r %h %p expanded, and reads Key=Value and ProxyJump', () => {
    const db = load().hosts.find((h) => h.alias === 'db');
    expect(db).toMatchObject({
      hostname: '10.0.0.5',
      user: 'fallback',
      port: 2222,
      identityFiles: [
        `${HOME}/.ssh/id_db`,
        `${HOME}/.ssh/keys/fallback@10.0.0.5:2222`,
        `${HOME}/.ssh/id_ed25519`,
      ],
      proxyJump: { host: 'bastion' },
    });
  });

  it('reads included files: wildcard blocks, ~user, quotes, case-insensitive keywords, comments', () => {
    const { hosts } = load();
    expect(hosts.find((h) => h.alias === 'lab1')).toMatchObject({
      hostname: '192.0.2.11',
      user: 'lab',
      identityFiles: [`${HOME}/.ssh/lab_key`, `${HOME}/.ssh/id_ed25519`],
      source: { file: join(SSH_DIR, 'conf.d', '10-lab.conf'), line: 6 },
    });
    expect(hosts.find((h) => h.alias === 'quoted')).toMatchObject({
      hostname: 'quoted.example.org',
      port: 2200,
      identityFiles: [`${HOME}/.ssh/key with spaces`, `${HOME}/.ssh/%C`, `${HOME}/.ssh/id_ed25519`],
      proxyJump: { host: 'jump.example.org', user: 'ops', port: 2022 },
    });
  });

  it('applies negated Host patterns', () => {
    const { hosts } = load();
    expect(hosts.find((h) => h.alias === 'api.example.org')).toMatchObject({
      user: 'wildcard-user',
      port: 8022,
    });
    expect(hosts.find((h) => h.alias === 'web2.example.org')).toMatchObject({ user: 'fallback', port: 8022 });
  });

  it('reports chains, ProxyCommand, Match blocks and unknown tokens as warnings', () => {
    const { hosts, warnings } = load();
    const deep = hosts.find((h) => h.alias === 'deep');
    expect(deep?.proxyJump).toBeUndefined();
    expect(deep?.proxyJumpChain).toEqual([
      { host: 'bastion', user: 'admin', port: 22022 },
      { host: '2001:db8::1', user: 'ops', port: 2022 },
    ]);
    const messages = warnings.map((w) => `${w.file.slice(SSH_DIR.length + 1)}:${w.line} ${w.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^config:28 Match block skipped \("Match host \*\.internal localuser root"\)/),
      expect.stringMatching(/^conf\.d\/20-style\.conf:5 IdentityFile %d\/\.ssh\/%C: the token %C/),
      expect.stringMatching(/^config:22 deep: ProxyJump chains 2 jump hosts/),
      expect.stringMatching(/^config:26 legacy: ProxyCommand is not supported/),
    ]);
    expect(messages).toHaveLength(4);
  });

  it('is empty, not an error, when there is no config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyperion-sshcfg-'));
    try {
      expect(loadSshConfig({ home: dir, localUser: 'alice' })).toEqual({
        path: join(dir, '.ssh', 'config'),
        found: false,
        hosts: [],
        warnings: [],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('agreement with the real ssh -G', () => {
  let dir: string;
  let configPath: string;
  beforeAll(() => {
    // ssh resolves relative Include against the real ~/.ssh, so the copy names the folder outright.
    dir = mkdtempSync(join(tmpdir(), 'hyperion-sshcfg-'));
    configPath = join(dir, 'config');
    const text = readFileSync(CONFIG, 'utf8').replace('Include conf.d/', `Include ${SSH_DIR}/conf.d/`);
    writeFileSync(configPath, text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    'web1',
    'web2',
    'db',
    'bastion',
    'deep',
    'legacy',
    'lab1',
    'quoted',
    'api.example.org',
    'web2.example.org',
  ])('%s: same hostname, user, port, jump and identity files in the same order', (alias) => {
    const out = execFileSync('ssh', ['-G', '-F', configPath, alias], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const values = (key: string) =>
      out
        .split('\n')
        .filter((l) => l.startsWith(`${key} `))
        .map((l) => l.slice(key.length + 1));
    const parsed = parseSshConfigText(readFileSync(configPath, 'utf8'), configPath, (pattern) => ({
      files: globFiles(pattern).map((path) => ({ path, text: readFileSync(path, 'utf8') })),
    }));
    const context = { home: HOME, localUser: 'alice' };
    const { host } = resolveSshHost(parsed, alias, context);
    expect(host.hostname).toBe(values('hostname')[0]);
    expect(host.user).toBe(values('user')[0]);
    expect(String(host.port)).toBe(values('port')[0]);
    const jump = values('proxyjump')[0];
    if (jump === undefined) {
      expect(host.proxyJump ?? host.proxyJumpChain).toBeUndefined();
    } else {
      const hops = host.proxyJumpChain ?? (host.proxyJump ? [host.proxyJump] : []);
      expect(hops).toEqual(jump.split(',').map(parseJumpSpec));
    }
    // ssh -G prints identity files before expanding ~ and tokens: expand them our way to compare.
    const rawIdentities = values('identityfile').map((f) =>
      expandTokens(f.replace(/^~alice\//, `${HOME}/`).replace(/^~\//, `${HOME}/`), {
        d: HOME,
        r: host.user ?? 'alice',
        h: host.hostname,
        p: String(host.port),
      }),
    );
    expect(host.identityFiles).toEqual(rawIdentities);
  });
});

describe('the parts', () => {
  it('splits keyword lines in both forms and tokenizes quotes and comments', () => {
    expect(splitLine('  HostName=example.org')).toEqual({ keyword: 'hostname', args: ['example.org'] });
    expect(splitLine('Port = 22')).toEqual({ keyword: 'port', args: ['22'] });
    expect(splitLine('IdentityFile "a b" \'c d\' e\\ f # note')).toEqual({
      keyword: 'identityfile',
      args: ['a b', 'c d', 'e f'],
    });
    expect(splitLine('# only a comment')).toBeUndefined();
    expect(splitLine('   ')).toBeUndefined();
    expect(tokenize('"unterminated')).toEqual({ error: 'unterminated quote' });
    expect(splitLine('=oops')).toEqual({ error: 'Unreadable line: =oops' });
  });

  it('parses jump specs', () => {
    expect(parseJumpSpec('bastion')).toEqual({ host: 'bastion' });
    expect(parseJumpSpec('me@bastion:2200')).toEqual({ host: 'bastion', user: 'me', port: 2200 });
    expect(parseJumpSpec('[::1]:22')).toEqual({ host: '::1', port: 22 });
    expect(parseJumpSpec('ssh://me@host')).toEqual({ host: 'host', user: 'me' });
    expect(parseJumpSpec('host:99999')).toBeUndefined();
    expect(parseJumpSpec('@host')).toBeUndefined();
  });

  it('keeps Host lines of an included file inside that file', () => {
    const parsed = parseSshConfigText('Host a\nInclude extra\nUser after-include\n', 'main', () => ({
      files: [{ path: 'extra', text: 'Port 2000\nHost b\nUser in-b\n' }],
    }));
    const context = { home: '/home/alice', localUser: 'alice' };
    expect(resolveSshHost(parsed, 'a', context).host).toMatchObject({ port: 2000, user: 'after-include' });
    expect(resolveSshHost(parsed, 'b', context).host).toMatchObject({ port: 22, user: 'in-b' });
  });

  it('stops include loops and says so', () => {
    const parsed = parseSshConfigText('Include self\n', 'main', () => ({
      files: [{ path: 'self', text: 'Include self\nHost x\n' }],
    }));
    expect(parsed.warnings.map((w) => w.message)).toEqual(['Include self skipped: it includes itself.']);
    expect(importSshConfig(parsed, { home: '/h', localUser: 'u' }).hosts.map((h) => h.alias)).toEqual(['x']);
  });

  it('treats Match all like Host * and warns about a bad port', () => {
    const parsed = parseSshConfigText('Host x\nPort nope\nMatch all\nUser everyone\n', 'main');
    const result = importSshConfig(parsed, { home: '/h', localUser: 'u' });
    expect(result.hosts[0]).toMatchObject({ alias: 'x', port: 22, user: 'everyone' });
    expect(result.warnings.map((w) => w.message)).toEqual(['Port "nope" is not a port number: using 22.']);
  });
});
