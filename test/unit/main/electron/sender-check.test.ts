// isTrustedSender: only our own window's main frame, showing app://hyperion, may talk to the core.
import { isAppUrl, isTrustedSender, type SenderFacts } from '../../../../main/electron/sender-check';

const trusted: SenderFacts = {
  senderId: 7,
  expectedId: 7,
  frameUrl: 'app://hyperion/index.html',
  isMainFrame: true,
};

describe('isTrustedSender', () => {
  it('accepts our window, its main frame and the app://hyperion origin', () => {
    expect(isTrustedSender(trusted)).toBe(true);
    expect(isTrustedSender({ ...trusted, frameUrl: 'app://hyperion/#/hosts/local?x=1' })).toBe(true);
  });

  it('rejects another webContents', () => {
    expect(isTrustedSender({ ...trusted, senderId: 8 })).toBe(false);
  });

  it('rejects when our window id is not known', () => {
    expect(isTrustedSender({ ...trusted, expectedId: undefined })).toBe(false);
  });

  it('rejects a subframe, even one showing our own page', () => {
    expect(isTrustedSender({ ...trusted, isMainFrame: false })).toBe(false);
  });

  it.each([
    'https://evil.example/index.html',
    'file:///etc/passwd',
    'app://other/index.html',
    'app://hyperion.evil.example/',
    'app://hyperion:8080/',
    'http://hyperion/',
  ])('rejects the origin of %s', (frameUrl) => {
    expect(isTrustedSender({ ...trusted, frameUrl })).toBe(false);
  });

  it('rejects a frame without a URL and a malformed URL', () => {
    expect(isTrustedSender({ ...trusted, frameUrl: undefined })).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: '' })).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: 'not a url' })).toBe(false);
    expect(isTrustedSender({ ...trusted, frameUrl: 'app://[bad/' })).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('matches only the app scheme with the hyperion host', () => {
    expect(isAppUrl('app://hyperion')).toBe(true);
    expect(isAppUrl('app://hyperion/assets/x.js')).toBe(true);
    expect(isAppUrl('app://other/')).toBe(false);
    expect(isAppUrl('hyperion')).toBe(false);
  });
});
