// The Electron security checklist's decisions, without a binary: webPreferences, navigation, new
// windows and external links, permissions, requests that would reach the network, and the CSP
// every app:// response carries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHECKED_REQUEST_PATTERNS,
  mayNavigate,
  mayRequest,
  permissionDecision,
  windowOpenDecision,
  windowWebPreferences,
} from '../../../../main/electron/security-policy';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../../../main/server/security-headers';

describe('the window’s webPreferences', () => {
  it('isolate the page from Node, sandbox it and keep web security on', () => {
    const prefs = windowWebPreferences('/app/preload/index.js', false);
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
  });

  it('open devtools only when asked for', () => {
    expect(windowWebPreferences('p', true).devTools).toBe(true);
  });
});

describe('navigation and new windows', () => {
  it('stay on app://hyperion', () => {
    expect(mayNavigate('app://hyperion/index.html#/users')).toBe(true);
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:7420/',
      'file:///etc/passwd',
      'app://other/index.html',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(mayNavigate(url)).toBe(false);
    }
  });

  it('never open a window; send https links, and only those, to the user’s browser', () => {
    expect(windowOpenDecision('https://github.com/hyperion/issues')).toEqual({
      action: 'deny',
      openExternally: 'https://github.com/hyperion/issues',
    });
    for (const url of [
      'http://example.org/',
      'file:///home/me/.ssh/id_ed25519',
      'javascript:alert(1)',
      'smb://server/share',
      'https://user:secret@example.org/',
      'app://hyperion/index.html',
      '',
    ]) {
      expect(windowOpenDecision(url)).toEqual({ action: 'deny' });
    }
  });
});

describe('permissions and requests', () => {
  it('grant no permission at all', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'usb',
      'hid',
    ]) {
      expect(permissionDecision(p)).toBe(false);
    }
  });

  it('cancel every request that would reach the network or the disk', () => {
    expect(CHECKED_REQUEST_PATTERNS).toEqual(
      expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*']),
    );
    for (const url of [
      'https://cdn.example/lib.js',
      'http://127.0.0.1:7420/api',
      'ws://127.0.0.1/api',
      'file:///etc/hosts',
    ]) {
      expect(mayRequest(url)).toBe(false);
    }
    expect(mayRequest('app://hyperion/assets/index.js')).toBe(true);
    expect(mayRequest('data:image/svg+xml;base64,PHN2Zy8+')).toBe(true);
  });
});

describe('the content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources];
    }),
  );

  it('allows only our own scripts, styles and connections, with no inline code or eval', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    // data: only for images (the 2FA QR code), nowhere else.
    expect(directives.get('img-src')).toEqual(["'self'", 'data:']);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('goes with every response, beside nosniff and no framing', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
    expect(SECURITY_HEADERS['X-Frame-Options']).toBe('DENY');
  });

  it('is needed by nothing in the page: index.html loads only relative files', () => {
    const html = readFileSync(join(__dirname, '../../../../renderer/index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^\.\//);
  });
});

describe('the packaged app’s Electron fuses (electron-builder.yml)', () => {
  const config = readFileSync(join(__dirname, '../../../../electron-builder.yml'), 'utf8');
  const fuse = (name: string): string | undefined =>
    new RegExp(`^\\s+${name}:\\s*(\\w+)`, 'm').exec(config)?.[1];

  it('cannot run as Node, take NODE_OPTIONS or --inspect, or load code outside the checked archive', () => {
    expect(fuse('runAsNode')).toBe('false');
    expect(fuse('enableNodeOptionsEnvironmentVariable')).toBe('false');
    expect(fuse('enableNodeCliInspectArguments')).toBe('false');
    expect(fuse('onlyLoadAppFromAsar')).toBe('true');
    expect(fuse('enableEmbeddedAsarIntegrityValidation')).toBe('true');
    expect(fuse('grantFileProtocolExtraPrivileges')).toBe('false');
    expect(fuse('enableCookieEncryption')).toBe('true');
  });
});
