// The CPU group of a sample from systeminformation: per-mode percentages, load average, sensors.
import type { CpuModes, CpuSample, Temperature } from '../../../../common/schemas/sample';
import type { SiCpuLoad, SiCpuTemperature, SiCurrentLoad } from './si-readings';

const clampPercent = (v: number): number => (!Number.isFinite(v) || v < 0 ? 0 : v > 100 ? 100 : v);
const num = (v: number | null | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

const IDLE: CpuModes = {
  usage: 0,
  user: 0,
  nice: 0,
  system: 0,
  iowait: 0,
  irq: 0,
  softirq: 0,
  steal: 0,
  idle: 100,
};

/**
 * si measures modes from os.cpus(): user, nice, system, idle, irq (and steal/guest on Linux).
 * macOS and Windows expose no iowait or softirq, so those are 0; `usage` is si's own load, which is
 * everything but idle, as top and htop count it.
 */
export function cpuModesFromSi(load: SiCpuLoad): CpuModes {
  const modes = {
    user: num(load.loadUser),
    nice: num(load.loadNice),
    system: num(load.loadSystem),
    irq: num(load.loadIrq),
    steal: num(load.loadSteal),
    idle: num(load.loadIdle),
  };
  // All zero: si had no elapsed ticks to divide by (two calls within its 200 ms cache window).
  if (Object.values(modes).every((v) => v === 0) && num(load.loadGuest) === 0) return { ...IDLE };
  return {
    usage: clampPercent(num(load.load)),
    user: clampPercent(modes.user),
    nice: clampPercent(modes.nice),
    system: clampPercent(modes.system),
    iowait: 0,
    irq: clampPercent(modes.irq),
    softirq: 0,
    steal: clampPercent(modes.steal),
    idle: clampPercent(modes.idle),
  };
}

function totalAsCpuLoad(c: SiCurrentLoad): SiCpuLoad {
  return {
    load: c.currentLoad,
    loadUser: c.currentLoadUser,
    loadSystem: c.currentLoadSystem,
    loadNice: c.currentLoadNice,
    loadIdle: c.currentLoadIdle,
    loadIrq: c.currentLoadIrq,
    loadSteal: c.currentLoadSteal,
    loadGuest: c.currentLoadGuest,
  };
}

/**
 * Sensors as si reports them: `main` (the package, or on Windows the ACPI thermal zone), one per
 * core, per socket, and the chipset. Readings at or below 0 °C are si's "no value" (older versions
 * report −1) and values above 200 °C are disconnected probes: both are dropped.
 */
export function temperaturesFromSi(t: SiCpuTemperature | null | undefined): Temperature[] {
  if (!t) return [];
  const readings: [string, number | null | undefined][] = [
    ['CPU', t.main],
    ...(t.cores ?? []).map((c, i): [string, number] => [`CPU core ${i}`, c]),
    ...(t.socket ?? []).map((c, i): [string, number] => [`CPU socket ${i}`, c]),
    ['Chipset', t.chipset],
  ];
  const out: Temperature[] = [];
  for (const [sensor, value] of readings) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 200) continue;
    // si already rounds to 2 decimals on macOS; Windows' kelvin conversion leaves float noise.
    out.push({ sensor, celsius: Math.round(value * 100) / 100 });
  }
  return out;
}

/**
 * The load average comes from os.loadavg(). Windows has none and Node reports [0, 0, 0]: the sample
 * keeps its required tuple, and the step lists `cpu.load` as unavailable so the UI can say so.
 */
export function cpuFromSi(
  currentLoad: SiCurrentLoad,
  loadavg: readonly number[],
  temperature: SiCpuTemperature | null | undefined,
): CpuSample {
  const load = [0, 1, 2].map((i) => Math.max(0, num(loadavg[i]))) as [number, number, number];
  return {
    total: cpuModesFromSi(totalAsCpuLoad(currentLoad)),
    cores: (currentLoad.cpus ?? []).map(cpuModesFromSi),
    load,
    temperatures: temperaturesFromSi(temperature),
  };
}
