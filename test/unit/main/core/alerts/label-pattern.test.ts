import { compileLabelPattern } from '../../../../../main/core/alerts/label-pattern';

describe('label patterns', () => {
  it('matches everything when empty', () => {
    expect(compileLabelPattern('')('/anything')).toBe(true);
  });

  it('matches globs and excludes with "!"', () => {
    const m = compileLabelPattern('/, /var/*, !/var/tmp');
    expect(m('/')).toBe(true);
    expect(m('/var/lib')).toBe(true);
    expect(m('/var/tmp')).toBe(false);
    expect(m('/home')).toBe(false);
  });

  it('treats regex characters literally and "?" as one character', () => {
    const m = compileLabelPattern('eth?, br-(x)+');
    expect(m('eth0')).toBe(true);
    expect(m('eth10')).toBe(false);
    expect(m('br-(x)+')).toBe(true);
    expect(m('br-xx')).toBe(false);
  });

  it('excludes only, when every pattern starts with "!"', () => {
    const m = compileLabelPattern('!/boot*, !/snap/*');
    expect(m('/')).toBe(true);
    expect(m('/boot/efi')).toBe(false);
    expect(m('/snap/core/1')).toBe(false);
  });
});
