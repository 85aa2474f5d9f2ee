/**
 * What the benchmarks read from /proc: a process's CPU seconds (all threads) and RSS,
 * the whole machine's busy CPU time (to tell how much other load ran beside a
 * measurement), the open-files limit, and the machine facts the results are stamped
 * with. Linux only; elsewhere the readers return NaN and the tables say so.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

let clockTicks: number | undefined;

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, almost always 100). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * CPU seconds a process has used so far, all its threads included: the sum of
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds on a CPU), else user + system time from
 * /proc/<pid>/stat (10 ms ticks).
 */
export function cpuSeconds(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // the thread ended between the listing and the read
      }
    }
    if (ns > 0) return ns / 1e9;
  } catch {
    // no schedstat: fall back to the tick counts
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; count fields after its closing paren.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/** Resident set size of a process, in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Busy CPU seconds of the whole machine so far (all cores; idle and iowait excluded). */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, ...values] = line.trim().split(/\s+/);
    const numbers = values.map(Number);
    const idle = (numbers[3] ?? 0) + (numbers[4] ?? 0);
    const total = numbers.slice(0, 8).reduce((sum, value) => sum + value, 0);
    return (total - idle) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/** A CPU reading of some processes and the machine, to diff after a measured window. */
export interface CpuSnapshot {
  at: number;
  perPid: Map<number, number>;
  machine: number;
}

export function cpuSnapshot(pids: number[]): CpuSnapshot {
  return {
    at: performance.now(),
    perPid: new Map(pids.map((pid) => [pid, cpuSeconds(pid)])),
    machine: machineBusySeconds(),
  };
}

export interface CpuUse {
  seconds: number;
  /** CPU seconds per pid over the window. */
  perPid: Record<number, number>;
  /** Busy cores of everything else on the machine over the window (the noise). */
  otherCores: number;
}

export function cpuUse(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const seconds = (after.at - before.at) / 1000;
  const perPid: Record<number, number> = {};
  let ours = 0;
  for (const [pid, start] of before.perPid) {
    const used = (after.perPid.get(pid) ?? NaN) - start;
    perPid[pid] = used;
    if (Number.isFinite(used)) ours += used;
  }
  const machine = after.machine - before.machine;
  return { seconds, perPid, otherCores: Math.max(0, (machine - ours) / seconds) };
}

/** The soft and hard limits on open files of this process (`ulimit -n`). */
export function openFilesLimit(): { soft: number; hard: number } {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
    const parse = (value: string | undefined) =>
      value === 'unlimited' ? Infinity : Number(value ?? NaN);
    return { soft: parse(match?.[1]), hard: parse(match?.[2]) };
  } catch {
    return { soft: NaN, hard: NaN };
  }
}

/** The commit measured, and how many files under src/ differ from it (0: clean). */
export function sourceVersion(): { commit: string; srcFilesChanged: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean).length;
    return { commit, srcFilesChanged: changed };
  } catch {
    return { commit: 'unknown', srcFilesChanged: NaN };
  }
}

export interface MachineInfo {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  platform: string;
  openFiles: { soft: number; hard: number };
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  return {
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    openFiles: openFilesLimit(),
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
