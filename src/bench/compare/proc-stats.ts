import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

let clockTicks: number | undefined;

/** Kernel clock ticks per second (`getconf CLK_TCK`), the unit of the CPU times in /proc/<pid>/stat. */
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

/** User + system CPU seconds the process has used so far (its own threads, not its children). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / ticksPerSecond();
}

export interface MemoryStatus {
  /** Peak resident set size (VmHWM), bytes. */
  peakRss: number;
  /** Resident set size now (VmRSS), bytes. */
  rss: number;
  /** Anonymous resident memory now (RssAnon: heap, stacks; not mapped files), bytes. */
  rssAnon: number;
}

export function memoryStatus(pid: number): MemoryStatus {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { peakRss: kb('VmHWM'), rss: kb('VmRSS'), rssAnon: kb('RssAnon') };
}

/**
 * Samples a process's memory a few times a second. VmHWM already gives the peak RSS, but it counts
 * memory-mapped index files too (Lucene maps its segments); the sampled peak of RssAnon shows what
 * the process itself allocated.
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | undefined;
  peakRssAnon = 0;

  constructor(
    private readonly pid: number,
    intervalMs = 250,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    try {
      this.peakRssAnon = Math.max(this.peakRssAnon, memoryStatus(this.pid).rssAnon);
    } catch {
      // the process has exited
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

export interface DirectorySize {
  /** Bytes allocated on disk (st_blocks × 512, what `du` reports). */
  allocated: number;
  /** Sum of file lengths. */
  apparent: number;
  files: number;
}

/** Size of everything under `dir` (files that vanish while walking are skipped). */
export async function directorySize(dir: string): Promise<DirectorySize> {
  const total: DirectorySize = { allocated: 0, apparent: 0, files: 0 };
  const walk = async (path: string): Promise<void> => {
    let entries: string[];
    try {
      entries = await readdir(path);
    } catch {
      return;
    }
    for (const name of entries) {
      const full = join(path, name);
      try {
        const st = await lstat(full);
        if (st.isDirectory()) await walk(full);
        else if (st.isFile()) {
          total.allocated += st.blocks * 512;
          total.apparent += st.size;
          total.files++;
        }
      } catch {
        // removed meanwhile
      }
    }
  };
  await walk(dir);
  return total;
}
