// `hyperion sample`: two readings of this machine, one interval apart, printed as one sample.
import type { Sample } from '../../common/schemas/sample';
import { LocalFilesystems } from '../core/collectors/linux/local-filesystems';
import { LocalLinuxReader } from '../core/collectors/linux/local-reader';
import { sampleFromSnapshot } from '../core/collectors/linux/snapshot';
import { LOCAL_HOST_ID } from '../core/core';

export async function takeLocalSample(intervalMs: number): Promise<Sample> {
  const filesystems = new LocalFilesystems();
  await filesystems.refresh();
  const reader = new LocalLinuxReader({ filesystems });
  const first = sampleFromSnapshot(LOCAL_HOST_ID, 'This computer', undefined, reader.read());
  await new Promise((resolve) => setTimeout(resolve, intervalMs));
  const { sample } = sampleFromSnapshot(LOCAL_HOST_ID, 'This computer', first.state, reader.read());
  if (!sample) throw new Error('the CPU counters went backwards between the two readings; try again');
  return sample;
}

const pct = (v: number): string => `${v.toFixed(1).padStart(5)} %`;

export function formatSample(sample: Sample): string {
  const { host, cpu } = sample;
  const lines = [
    `${host.hostname} — ${host.os}, kernel ${host.kernel}, ${host.cores} CPUs, up ${formatUptime(host.uptimeSec)}`,
    `CPU   ${pct(cpu.total.usage)}  (user ${cpu.total.user.toFixed(1)} %, system ${cpu.total.system.toFixed(1)} %, iowait ${cpu.total.iowait.toFixed(1)} %, steal ${cpu.total.steal.toFixed(1)} %)`,
    ...cpu.cores.map((core, i) => `cpu${String(i).padEnd(3)}${pct(core.usage)}`),
    `Load  ${cpu.load.map((l) => l.toFixed(2)).join('  ')}  (1, 5, 15 min)`,
    cpu.temperatures.length
      ? `Temp  ${cpu.temperatures.map((t) => `${t.sensor} ${t.celsius} °C`).join(', ')}`
      : 'Temp  no sensor',
    `Mem   ${gib(sample.memory.usedBytes)} used of ${gib(sample.memory.totalBytes)}, ${gib(sample.memory.availableBytes)} available, ${gib(sample.memory.cachedBytes)} cache; swap ${sample.memory.swapTotalBytes ? `${gib(sample.memory.swapUsedBytes)} of ${gib(sample.memory.swapTotalBytes)}` : 'none'}`,
    ...sample.disks.filesystems.map(
      (fs) =>
        `Disk  ${fs.mount}  ${fs.usedPercent} % used, ${gib(fs.freeBytes)} free of ${gib(fs.sizeBytes)} (${fs.fsType} on ${fs.device})`,
    ),
    ...sample.disks.devices.map(
      (d) =>
        `I/O   ${d.name}  read ${kib(d.readBytesPerSec)}/s, write ${kib(d.writeBytesPerSec)}/s, ${d.readIops.toFixed(0)}/${d.writeIops.toFixed(0)} IOPS, ${d.busyPercent.toFixed(0)} % busy`,
    ),
    ...sample.network.interfaces.map(
      (i) =>
        `Net   ${i.name}  in ${mbit(i.rxBytesPerSec)}, out ${mbit(i.txBytesPerSec)}, errors ${(i.rxErrorsPerSec + i.txErrorsPerSec).toFixed(1)}/s, drops ${(i.rxDropsPerSec + i.txDropsPerSec).toFixed(1)}/s`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const mbit = (bytesPerSec: number): string => `${((bytesPerSec * 8) / 1e6).toFixed(2)} Mbit/s`;

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
}
