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
