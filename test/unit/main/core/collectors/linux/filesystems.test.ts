import { FilesystemSample } from '../../../../../../common/schemas/metrics';
import {
  filesystemFromStatfs,
  isRealFilesystem,
  parseDfPortable,
  parseMounts,
  realMounts,
  type StatfsFigures,
} from '../../../../../../main/core/collectors/linux/filesystems';
import { fixture } from '../../../../../helpers/fixtures';

const mounts = (path: string) => parseMounts(fixture(path));

/** The one data row of `df -B1 PATH` or `df -i PATH`: [source, n1, n2, n3, "pct%", target]. */
const dfDataRow = (text: string): string[] => text.trim().split('\n')[1]?.trim().split(/\s+/) ?? [];

const BINDS = '/tmp/hypcap/mnt';
const WORKSTATION_REAL = [
  '/',
  '/boot/efi',
  '/home',
  '/mnt/Backup Disk',
  '/media/alice/USB\tStick',
  '/mnt/odd\nname\\dir',
  '/data',
  '/data/snapshots',
  '/mnt/nas sshfs',
  '/mnt/media',
  '/mnt/share',
  '/tank/data',
  '/mnt/win',
];

describe('parseMounts', () => {
  it('reads a captured Debian 12 VM mount table', () => {
    const table = mounts('proc/mounts-debian12-vm.txt');
    expect(table).toHaveLength(19);
    expect(table[5]).toEqual({
      device: '/dev/vda',
      mount: '/',
      fsType: 'ext4',
      options: ['rw', 'relatime', 'discard', 'resv_strict', 'resuid=65534', 'resgid=65534'],
    });
  });

  it('decodes the kernel’s escapes for space, tab and backslash (captured)', () => {
    const table = mounts('proc/mounts-binds-debian12-vm.txt').filter((m) => m.mount.startsWith(BINDS));
    expect(table.map((m) => m.mount)).toEqual([
      `${BINDS}/Backup Disk`,
      `${BINDS}/backup-disk-bound-here`,
      `${BINDS}/Backup Disk`,
      `${BINDS}/tab\tand\\slash`,
      `${BINDS}/usb stick`,
    ]);
  });

  it('decodes a newline in a mount point and a space in a source', () => {
    const table = mounts('proc/mounts-workstation.txt');
    expect(table.find((m) => m.fsType === 'btrfs')?.mount).toBe('/mnt/odd\nname\\dir');
    expect(table.find((m) => m.fsType === 'cifs')?.device).toBe('//nas/my share');
  });
});

describe('isRealFilesystem', () => {
  it.each([
    ['ext4', '/'],
    ['ext3', '/srv'],
    ['ext2', '/boot'],
    ['xfs', '/home'],
    ['btrfs', '/data'],
    ['zfs', '/tank'],
    ['vfat', '/boot/efi'],
    ['exfat', '/media/usb'],
    ['ntfs', '/mnt/c'],
    ['ntfs3', '/mnt/win'],
    ['fuseblk', '/mnt/ntfs-3g'],
    ['f2fs', '/data'],
    ['nfs', '/mnt/nfs'],
    ['nfs4', '/mnt/nfs4'],
    ['cifs', '/mnt/share'],
    ['smb3', '/mnt/smb'],
    ['fuse.sshfs', '/mnt/remote'],
    ['fuse.rclone', '/mnt/cloud'],
    ['overlay', '/'],
  ])('keeps %s at %s', (fsType, mount) => expect(isRealFilesystem(fsType, mount)).toBe(true));

  it.each([
    ['proc', '/proc'],
    ['sysfs', '/sys'],
    ['devtmpfs', '/dev'],
    ['devpts', '/dev/pts'],
    ['tmpfs', '/run'],
    ['cgroup', '/sys/fs/cgroup/cpu'],
    ['cgroup2', '/sys/fs/cgroup'],
    ['securityfs', '/sys/kernel/security'],
    ['pstore', '/sys/fs/pstore'],
    ['bpf', '/sys/fs/bpf'],
    ['tracefs', '/sys/kernel/tracing'],
    ['debugfs', '/sys/kernel/debug'],
    ['mqueue', '/dev/mqueue'],
    ['hugetlbfs', '/dev/hugepages'],
    ['configfs', '/sys/kernel/config'],
    ['fusectl', '/sys/fs/fuse/connections'],
    ['autofs', '/proc/sys/fs/binfmt_misc'],
    ['binfmt_misc', '/proc/sys/fs/binfmt_misc'],
    ['nsfs', '/run/netns/x'],
    ['efivarfs', '/sys/firmware/efi/efivars'],
    ['ramfs', '/run/credentials/x'],
    ['rpc_pipefs', '/run/rpc_pipefs'],
    ['squashfs', '/snap/core22/1380'],
    ['iso9660', '/media/cdrom'],
    ['overlay', '/var/lib/docker/overlay2/x/merged'],
    ['fuse.gvfsd-fuse', '/run/user/1000/gvfs'],
    ['fuse.portal', '/run/user/1000/doc'],
    ['fuse.lxcfs', '/var/lib/lxcfs'],
    ['nfsd', '/proc/fs/nfsd'],
  ])('drops %s at %s', (fsType, mount) => expect(isRealFilesystem(fsType, mount)).toBe(false));
});

describe('realMounts', () => {
  it('keeps only the root disk of the captured VM', () => {
    expect(realMounts(mounts('proc/mounts-debian12-vm.txt')).map((m) => m.mount)).toEqual(['/']);
  });

  it('lists each filesystem once, where df does: bind mounts and re-mounts at one path (captured)', () => {
    const real = realMounts(mounts('proc/mounts-binds-debian12-vm.txt'));
    // /run/netns is a bind of the root disk; "usb stick" is also bound at the shorter /tmp/hypcap/b.
    expect(real.map((m) => m.mount)).toEqual([
      '/',
      `${BINDS}/Backup Disk`,
      `${BINDS}/tab\tand\\slash`,
      '/tmp/hypcap/b',
    ]);
    const dfMounts = parseDfPortable(
      fixture('proc/df-kP-binds-debian12-vm.txt'),
      fixture('proc/df-iP-binds-debian12-vm.txt'),
      mounts('proc/mounts-binds-debian12-vm.txt'),
    ).map((f) => f.mount);
    expect(dfMounts).toEqual(real.map((m) => m.mount));
  });

  it('filters a workstation’s table: pseudo, desktop FUSE, snaps, docker layers, a CD, hidden mounts', () => {
    const real = realMounts(mounts('proc/mounts-workstation.txt'));
    expect(real.map((m) => m.mount)).toEqual(WORKSTATION_REAL);
  });

  it('lets the top mount at a path win: a tmpfs over a disk hides the disk', () => {
    const real = realMounts(mounts('proc/mounts-workstation.txt'));
    expect(real.find((m) => m.mount === '/mnt/hidden')).toBeUndefined();
    expect(real.some((m) => m.device === '/dev/sde1')).toBe(false);
  });

  it('keeps each btrfs subvolume (df shows them, each has its own device number)', () => {
    const real = realMounts(mounts('proc/mounts-workstation.txt')).filter((m) => m.device === '/dev/sdg1');
    expect(real.map((m) => m.mount)).toEqual(['/data', '/data/snapshots']);
  });
});

describe('filesystemFromStatfs', () => {
  const statfs = JSON.parse(fixture('proc/statfs-root-debian12-vm.json')) as StatfsFigures;
  const root = { device: '/dev/vda', mount: '/', fsType: 'ext4' };

  it('agrees with `df -B1 /` and `df -i /` read at the same instant, field for field', () => {
    const fs = filesystemFromStatfs(root, statfs);
    const [source, size, used, avail, pct, target] = dfDataRow(fixture('proc/df-B1-root-debian12-vm.txt'));
    const [, inodes, iused] = dfDataRow(fixture('proc/df-i-root-debian12-vm.txt'));
    expect(fs.device).toBe(source);
    expect(fs.mount).toBe(target);
    expect(fs.sizeBytes).toBe(Number(size));
    expect(fs.usedBytes).toBe(Number(used));
    expect(fs.freeBytes).toBe(Number(avail));
    expect(`${fs.usedPercent}%`).toBe(pct);
    expect(fs.inodesTotal).toBe(Number(inodes));
    expect(fs.inodesUsed).toBe(Number(iused));
    // The figures themselves; blocks reserved for root make size > used + free, as in df.
    expect(fs).toMatchObject({ sizeBytes: 270553174016, usedBytes: 24424370176, usedPercent: 23 });
    expect(fs.sizeBytes).toBeGreaterThan(fs.usedBytes + fs.freeBytes);
  });

  it('rounds the percentage up like df and stays exact on whole numbers', () => {
    const fs = (blocks: number, bfree: number, bavail: number) =>
      filesystemFromStatfs(root, { bsize: 4096, blocks, bfree, bavail, files: 10, ffree: 10 }).usedPercent;
    expect(fs(200, 199, 199)).toBe(1);
    expect(fs(200, 100, 100)).toBe(50);
    expect(fs(1000, 1, 0)).toBe(100);
    expect(fs(300, 193, 193)).toBe(36); // 107/300 = 35.67
  });

  it('reports 0 % for an empty filesystem, never a negative use', () => {
    expect(
      filesystemFromStatfs(root, { bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0 }),
    ).toMatchObject({ sizeBytes: 0, usedBytes: 0, freeBytes: 0, usedPercent: 0, inodesUsed: 0 });
    expect(
      filesystemFromStatfs(root, { bsize: 512, blocks: 10, bfree: 12, bavail: 12, files: 0, ffree: 5 }),
    ).toMatchObject({ usedBytes: 0, usedPercent: 0, inodesUsed: 0 });
  });
});

describe('parseDfPortable', () => {
  it('reads the captured VM: its root disk only, in bytes', () => {
    expect(
      parseDfPortable(
        fixture('proc/df-kP-debian12-vm.txt'),
        fixture('proc/df-iP-debian12-vm.txt'),
        mounts('proc/mounts-debian12-vm.txt'),
      ),
    ).toEqual([
      {
        mount: '/',
        device: '/dev/vda',
        fsType: 'ext4',
        sizeBytes: 264212084 * 1024,
        usedBytes: 23853304 * 1024,
        freeBytes: 82537608 * 1024,
        usedPercent: 23,
        inodesTotal: 16777216,
        inodesUsed: 444590,
      },
    ]);
  });

  it('matches a mount point with a space and one df printed with "?" for a tab (captured)', () => {
    const filesystems = parseDfPortable(
      fixture('proc/df-kP-binds-debian12-vm.txt'),
      fixture('proc/df-iP-binds-debian12-vm.txt'),
      mounts('proc/mounts-binds-debian12-vm.txt'),
    );
    expect(filesystems.find((f) => f.mount === `${BINDS}/Backup Disk`)).toEqual({
      mount: `${BINDS}/Backup Disk`,
      device: '/dev/loop0',
      fsType: 'ext4',
      sizeBytes: 56037 * 1024,
      usedBytes: 8207 * 1024,
      freeBytes: 43244 * 1024,
      usedPercent: 16,
      inodesTotal: 16384,
      inodesUsed: 13,
    });
    expect(filesystems.find((f) => f.mount === `${BINDS}/tab\tand\\slash`)).toMatchObject({
      device: '/dev/loop1',
      sizeBytes: 25844 * 1024,
      inodesTotal: 8192,
    });
  });

  describe('on a workstation', () => {
    const filesystems = parseDfPortable(
      fixture('proc/df-kP-workstation.txt'),
      fixture('proc/df-iP-workstation.txt'),
      mounts('proc/mounts-workstation.txt'),
    );
    const byMount = new Map(filesystems.map((f) => [f.mount, f]));

    it('lists the same filesystems as the local path, in df’s order', () => {
      expect(filesystems.map((f) => f.mount)).toEqual(WORKSTATION_REAL);
      for (const fs of filesystems) expect(FilesystemSample.safeParse(fs).success).toBe(true);
    });

    it('reads rows whose device and mount point contain spaces', () => {
      expect(byMount.get('/mnt/share')).toEqual({
        mount: '/mnt/share',
        device: '//nas/my share',
        fsType: 'cifs',
        sizeBytes: 3906250000 * 1024,
        usedBytes: 1953125000 * 1024,
        freeBytes: 1953125000 * 1024,
        usedPercent: 50,
        inodesTotal: 0,
        inodesUsed: 0,
      });
      expect(byMount.get('/mnt/nas sshfs')).toMatchObject({ fsType: 'fuse.sshfs', usedPercent: 91 });
    });

    it('takes df’s own rounded-up percentage and reads "-" inodes as 0', () => {
      expect(byMount.get('/home')).toMatchObject({
        usedPercent: 94,
        inodesTotal: 488342528,
        inodesUsed: 2345678,
      });
      expect(byMount.get('/mnt/Backup Disk')).toMatchObject({ freeBytes: 0, usedPercent: 100 });
      expect(byMount.get('/boot/efi')).toMatchObject({ inodesTotal: 0, inodesUsed: 0 });
    });
  });
});
