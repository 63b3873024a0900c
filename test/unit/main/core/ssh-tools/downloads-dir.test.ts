// Where the desktop window's downloads go: $XDG_DOWNLOAD_DIR, else the user-dirs file (with $HOME
// expanded), else ~/Downloads.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDownloadsDir } from '../../../../../main/core/ssh-tools/ssh-tools';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'hyperion-home-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('defaultDownloadsDir', () => {
  it('takes $XDG_DOWNLOAD_DIR first', () => {
    expect(defaultDownloadsDir({ XDG_DOWNLOAD_DIR: '/data/dl' }, home)).toBe('/data/dl');
  });

  it('reads user-dirs.dirs, expanding $HOME', () => {
    mkdirSync(join(home, '.config'));
    writeFileSync(
      join(home, '.config', 'user-dirs.dirs'),
      '# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR="$HOME/Desktop"\nXDG_DOWNLOAD_DIR="$HOME/Téléchargements"\n',
    );
    expect(defaultDownloadsDir({}, home)).toBe(join(home, 'Téléchargements'));
    expect(defaultDownloadsDir({ XDG_CONFIG_HOME: join(home, 'elsewhere') }, home)).toBe(
      join(home, 'Downloads'),
    );
  });

  it('falls back to ~/Downloads', () => {
    expect(defaultDownloadsDir({}, home)).toBe(join(home, 'Downloads'));
  });
});
