import fs from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident and peak resident memory of a process, in MB. */
export function memoryMb(pid: number): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 102.4) / 10, peakRssMb: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** Measures the share of one core a process used over an interval. */
export class CpuMeter {
  private startCpu: number;
  private startWall: number;
  constructor(private readonly pid: number) {
    this.startCpu = cpuSeconds(pid);
    this.startWall = performance.now();
  }
  /** CPU use since construction, as a percentage of one core. */
  percent(): number {
    const cpu = cpuSeconds(this.pid) - this.startCpu;
    const wall = (performance.now() - this.startWall) / 1000;
    return Math.round((cpu / wall) * 1000) / 10;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  // idle + iowait are not busy.
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Measures how busy the whole machine was over an interval (whoever used it). */
export class MachineCpuMeter {
  private readonly start = machineTicks();
  /** Busy share of all cores since construction, in percent (100 = every core saturated). */
  percent(): number {
    const now = machineTicks();
    const total = now.total - this.start.total;
    return total > 0 ? Math.round(((now.busy - this.start.busy) / total) * 1000) / 10 : 0;
  }
}

/** Resident memory of a process in KB (finer than memoryMb, for per-connection figures). */
export function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** The soft limit on open files of this process (children inherit it). */
export function openFilesLimit(): number {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const soft = /Max open files\s+(\S+)/.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft);
}
