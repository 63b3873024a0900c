// Measures the local filesystems in the background. statfs on a hung network mount never
// returns, so it runs off the sampling path, with a deadline per mount, and a mount still
// pending is skipped rather than waited for.
import { readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesystemSample } from '../../../../common/schemas/metrics';
import { filesystemFromStatfs, parseMounts, realMounts, type MountEntry } from './filesystems';

export interface LocalFilesystemsOptions {
  root?: string;
  refreshMs?: number;
  /** How long one statfs may take before the mount is reported as not answering. */
  deadlineMs?: number;
}

export class LocalFilesystems {
  private latest: FilesystemSample[] | undefined;
  private fresh = false;
  private readonly pending = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly root: string;
  private readonly refreshMs: number;
  private readonly deadlineMs: number;

  constructor(options: LocalFilesystemsOptions = {}) {
    this.root = options.root ?? '/';
    this.refreshMs = options.refreshMs ?? 10_000;
    this.deadlineMs = options.deadlineMs ?? 5_000;
  }

  start(): void {
    if (this.timer) return;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** New measurements since the last call, or undefined (the sample keeps the previous ones). */
  take(): FilesystemSample[] | undefined {
    if (!this.fresh) return undefined;
    this.fresh = false;
    return this.latest;
  }

  async refresh(): Promise<FilesystemSample[]> {
    let mounts: MountEntry[];
    try {
      mounts = realMounts(parseMounts(readFileSync(join(this.root, 'proc/self/mounts'), 'utf8')));
    } catch {
      mounts = [];
    }
    const results = await Promise.all(
      mounts.map(async (mount) => {
        if (this.pending.has(mount.mount)) return undefined; // still stuck from last time
        this.pending.add(mount.mount);
        const figures = statfs(mount.mount).then(
          (s) => {
            this.pending.delete(mount.mount);
            return s;
          },
          () => {
            this.pending.delete(mount.mount);
            return undefined;
          },
        );
        let timer: ReturnType<typeof setTimeout> | undefined;
        const deadline = new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), this.deadlineMs);
        });
        const s = await Promise.race([figures, deadline]);
        clearTimeout(timer);
        return s && filesystemFromStatfs(mount, s);
      }),
    );
    this.latest = results.filter((r): r is FilesystemSample => r !== undefined);
    this.fresh = true;
    return this.latest;
  }
}
