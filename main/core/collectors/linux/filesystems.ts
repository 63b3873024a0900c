// Reads the mount table and filesystem sizes (statfs locally, `df -kP`/`df -iP` remotely) as df shows them.
import type { FilesystemSample } from '../../../../common/schemas/metrics';

/** One line of /proc/mounts, with the kernel's octal escapes decoded. */
export interface MountEntry {
  device: string;
  mount: string;
  fsType: string;
  options: string[];
}

/** The kernel writes space, tab, newline and backslash in mount fields as \040, \011, \012, \134. */
function decodeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Mounts in the kernel's order (/proc/mounts or /proc/self/mounts); malformed lines skipped. */
export function parseMounts(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, mount, fsType, options] = line.trim().split(/\s+/);
    if (!device || !mount || !fsType) continue;
    mounts.push({
      device: decodeMountField(device),
      mount: decodeMountField(mount),
      fsType,
      options: options ? decodeMountField(options).split(',') : [],
    });
  }
  return mounts;
}

/** Kernel interfaces, memory-backed and read-only image filesystems: nothing a disk can fill. */
const PSEUDO_FILESYSTEMS = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'cpuset',
  'debugfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'fusectl',
  'hugetlbfs',
  'iso9660',
  'mqueue',
  'nfsd',
  'nsfs',
  'proc',
  'pstore',
  'ramfs',
  'rootfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'smackfs',
  'squashfs',
  'sysfs',
  'tmpfs',
  'tracefs',
]);

/** FUSE filesystems that are desktop or container plumbing rather than storage. */
const PSEUDO_FUSE = /gvfs|portal|lxcfs|snapfuse|vmware-vmblock/;

/**
 * Whether a mount is storage worth watching. A union filesystem counts only as a container's root
 * (elsewhere it is a container's view of a disk already listed); other FUSE filesystems (sshfs,
 * rclone, mergerfs, ntfs-3g's fuseblk) are kept.
 */
export function isRealFilesystem(fsType: string, mount: string): boolean {
  if (fsType === 'overlay' || fsType === 'aufs') return mount === '/';
  if (fsType.startsWith('fuse.')) return !PSEUDO_FUSE.test(fsType.slice('fuse.'.length));
  return !PSEUDO_FILESYSTEMS.has(fsType);
}

/** One entry per mount point: the last mounted there, which is on top and is what statfs sees. */
function topMounts(mounts: readonly MountEntry[]): MountEntry[] {
  const top = new Map<string, MountEntry>();
  for (const entry of mounts) top.set(entry.mount, entry);
  return [...top.values()];
}

/**
 * What makes two mounts one filesystem, standing in for df's st_dev: the same source, except that
 * each btrfs subvolume has a device number of its own.
 */
function filesystemKey(entry: MountEntry): string {
  const subvol = entry.fsType === 'btrfs' ? (entry.options.find((o) => o.startsWith('subvol=')) ?? '') : '';
  return [entry.fsType, entry.device, subvol].join('\0');
}

/**
 * The filesystems to report, as df lists them: the top mount at each path, pseudo filesystems
 * left out, and a filesystem mounted at several places (bind mounts, a container's /etc/hosts)
 * listed once, at its shortest mount point, in the position where it first appears. Taking the
 * top mount first means a tmpfs mounted over a disk's directory hides that disk, as it does.
 */
export function realMounts(mounts: readonly MountEntry[]): MountEntry[] {
  const byFilesystem = new Map<string, MountEntry>();
  for (const entry of topMounts(mounts)) {
    if (!isRealFilesystem(entry.fsType, entry.mount)) continue;
    const key = filesystemKey(entry);
    const seen = byFilesystem.get(key);
    if (!seen || entry.mount.length < seen.mount.length) byFilesystem.set(key, entry);
  }
  return [...byFilesystem.values()];
}

/** statfs(2) as Node's fs.statfsSync returns it: sizes in blocks of `bsize` bytes. */
export interface StatfsFigures {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

/** df's Use%: used / (used + available to users), rounded up so that a nearly full disk never shows less. */
function dfPercent(used: number, available: number): number {
  const total = used + available;
  if (total <= 0) return 0;
  const scaled = used * 100;
  return Math.min(100, Math.floor(scaled / total) + (scaled % total === 0 ? 0 : 1));
}

/** One filesystem exactly as `df -B1` and `df -i` report it. */
export function filesystemFromStatfs(
  mount: Pick<MountEntry, 'device' | 'mount' | 'fsType'>,
  statfs: StatfsFigures,
): FilesystemSample {
  // Root-reserved blocks are neither used nor available, so size ≥ used + free, as in df.
  const usedBlocks = Math.max(0, statfs.blocks - statfs.bfree);
  const availableBlocks = Math.max(0, statfs.bavail);
  return {
    mount: mount.mount,
    device: mount.device,
    fsType: mount.fsType,
    sizeBytes: statfs.blocks * statfs.bsize,
    usedBytes: usedBlocks * statfs.bsize,
    freeBytes: availableBlocks * statfs.bsize,
    usedPercent: dfPercent(usedBlocks, availableBlocks),
    inodesTotal: statfs.files,
    inodesUsed: Math.max(0, statfs.files - statfs.ffree),
  };
}

/** The numeric columns of a `df -P` row, whatever the unit; '-' (unknown) is read as 0. */
interface DfRow {
  total: number;
  used: number;
  available: number;
  percent: number;
}

const DF_COLUMNS = /^(.+?)\s+(\d+|-)\s+(\d+|-)\s+(-?\d+|-)\s+(\d+%|-)$/;

const dfNumber = (field: string | undefined): number => {
  const n = Number.parseInt(field ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
};

/** df prints control characters in names as '?' (a tab in a mount point arrives as "tab?name"). */
const asDfPrintsIt = (name: string): string =>
  Array.from(name, (c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? '?' : c)).join('');

/**
 * Rows of `df -P` output keyed by mount point. Device and mount point may both contain spaces, so
 * a row is matched against the known mount points (longest first) and the columns are read from
 * what comes before it.
 */
function parseDfRows(text: string, mountPoints: readonly string[]): Map<string, DfRow> {
  const candidates = mountPoints
    .map((mount) => ({ mount, printed: asDfPrintsIt(mount) }))
    .sort((a, b) => b.printed.length - a.printed.length);
  const rows = new Map<string, DfRow>();
  for (const line of text.split('\n')) {
    const trimmed = line.trimEnd();
    for (const { mount, printed } of candidates) {
      if (!trimmed.endsWith(` ${printed}`)) continue;
      const match = DF_COLUMNS.exec(trimmed.slice(0, -printed.length).trimEnd());
      if (!match) continue;
      rows.set(mount, {
        total: dfNumber(match[2]),
        used: dfNumber(match[3]),
        available: dfNumber(match[4]),
        percent: Math.min(100, dfNumber(match[5])),
      });
      break;
    }
  }
  return rows;
}

/**
 * Filesystems from `df -kP` and `df -iP` output, for hosts read over SSH where statfs is out of
 * reach. Types come from the mount table, so the same filter as the local path applies; rows for
 * mount points not in it are dropped. df has already listed each filesystem once, so its choice
 * of mount point stands. The percentage is df's own, computed from exact figures.
 */
export function parseDfPortable(
  dfKP: string,
  dfIP: string,
  mounts: readonly MountEntry[],
): FilesystemSample[] {
  const candidates = topMounts(mounts).filter((m) => isRealFilesystem(m.fsType, m.mount));
  const byMount = new Map(candidates.map((m) => [m.mount, m]));
  const mountPoints = [...byMount.keys()];
  const sizes = parseDfRows(dfKP, mountPoints);
  const inodes = parseDfRows(dfIP, mountPoints);
  const samples: FilesystemSample[] = [];
  for (const [mountPoint, size] of sizes) {
    const entry = byMount.get(mountPoint);
    if (!entry) continue;
    const inode = inodes.get(mountPoint);
    samples.push({
      mount: entry.mount,
      device: entry.device,
      fsType: entry.fsType,
      sizeBytes: size.total * 1024,
      usedBytes: size.used * 1024,
      freeBytes: size.available * 1024,
      usedPercent: size.percent,
      inodesTotal: inode?.total ?? 0,
      inodesUsed: inode?.used ?? 0,
    });
  }
  return samples;
}
