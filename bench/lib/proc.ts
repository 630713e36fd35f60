import { readFileSync } from 'node:fs';

const CLK_TCK = 100; // Linux USER_HZ; sysconf(_SC_CLK_TCK) is 100 on every mainstream kernel config

/** utime + stime of a process in microseconds, from /proc/<pid>/stat. */
export function procCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is state (field 3); utime is field 14, stime field 15
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / CLK_TCK;
}

/** VmRSS of a process in bytes. */
export function procRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** RSS of this process after a full GC (run node with --expose-gc for the GC). */
export async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss;
}

export function cpuInfo(): { model: string; cores: number } {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /model name\s*:\s*(.+)/.exec(info)?.[1] ?? 'unknown';
    const cores = (info.match(/^processor\s*:/gm) ?? []).length;
    return { model, cores };
  } catch {
    return { model: 'unknown', cores: 0 };
  }
}
