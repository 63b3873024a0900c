// What systeminformation returns for one reading of a macOS or Windows workstation: the fields we use,
// typed as si really fills them (its typings say `number` where it returns null on some platforms).

/** si.time() */
export interface SiTime {
  /** Milliseconds since the epoch when the reading was taken. */
  current: number;
  /** Seconds since boot. */
  uptime: number;
}

/** One logical CPU of si.currentLoad(): percentages of the interval since si's previous call. */
export interface SiCpuLoad {
  load: number;
  loadUser: number;
  loadSystem: number;
  loadNice: number;
  loadIdle: number;
  loadIrq: number;
  loadSteal?: number;
  loadGuest?: number;
  /** Ticks behind the percentages; all zero when si had nothing to compare with. */
  rawLoad?: number;
  rawLoadIdle?: number;
}

/** si.currentLoad() */
export interface SiCurrentLoad {
  currentLoad: number;
  currentLoadUser: number;
  currentLoadSystem: number;
  currentLoadNice: number;
  currentLoadIdle: number;
  currentLoadIrq: number;
  currentLoadSteal?: number;
  currentLoadGuest?: number;
  rawCurrentLoad?: number;
  rawCurrentLoadIdle?: number;
  cpus: SiCpuLoad[];
}

/** si.mem() — bytes. */
export interface SiMem {
  total: number;
  free: number;
  used: number;
  active: number;
  available: number;
  buffers: number;
  cached: number;
  slab: number;
  buffcache: number;
  reclaimable?: number;
  swaptotal: number;
  swapused: number;
  swapfree?: number;
}

/** One interface of si.networkStats('*'): byte and error counters since boot, rates since si's last call. */
export interface SiNetworkStats {
  iface: string;
  operstate?: string;
  rx_bytes: number;
  tx_bytes: number;
  rx_errors: number;
  tx_errors: number;
  rx_dropped: number;
  tx_dropped: number;
  /** Null on si's first call for this interface. */
  rx_sec: number | null;
  tx_sec: number | null;
  ms?: number;
}

/** One filesystem of si.fsSize() — bytes; `available` is what unprivileged users may still write. */
export interface SiFsSize {
  fs: string;
  type: string;
  size: number;
  used: number;
  available: number;
  use?: number | null;
  mount: string;
  rw?: boolean | null;
}

/** si.disksIO(): operations on all disks together, since boot. Null on Windows. */
export interface SiDisksIO {
  rIO: number;
  wIO: number;
  tIO?: number;
  rIO_sec: number | null;
  wIO_sec: number | null;
  tIO_sec?: number | null;
  ms?: number;
}

/** si.fsStats(): bytes read and written on all disks together, since boot. Null on Windows. */
export interface SiFsStats {
  rx: number;
  wx: number;
  tx?: number;
  rx_sec: number | null;
  wx_sec: number | null;
  tx_sec?: number | null;
  ms?: number;
}

/** One entry of si.blockDevices(). */
export interface SiBlockDevice {
  name: string;
  type: string;
  removable?: boolean;
}

/** si.cpuTemperature() — °C; `main` is null and `cores` empty when the machine exposes no sensor. */
export interface SiCpuTemperature {
  main: number | null;
  cores: number[];
  max?: number | null;
  socket?: number[];
  chipset?: number | null;
}

/** si.osInfo() */
export interface SiOsInfo {
  platform: string;
  distro: string;
  release: string;
  codename: string;
  kernel: string;
  arch?: string;
  hostname: string;
  build?: string;
}

/** One reading: everything the sampler asks systeminformation (and `os.loadavg()`) for. */
export interface SiReadings {
  time: SiTime;
  /** os.loadavg(): Windows has no load average and reports [0, 0, 0]. */
  loadavg: [number, number, number];
  currentLoad: SiCurrentLoad;
  mem: SiMem;
  networkStats: SiNetworkStats[];
  fsSize: SiFsSize[];
  disksIO: SiDisksIO | null;
  fsStats: SiFsStats | null;
  /** Read with the host facts, less often than the counters. */
  blockDevices?: SiBlockDevice[];
  cpuTemperature: SiCpuTemperature;
  osInfo: SiOsInfo;
}
