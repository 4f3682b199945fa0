import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat (clock ticks, so
 * 10 ms resolution at 100 Hz: read it around batches of thousands of flows). 0 when it is gone.
 */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Pids and command names of every descendant of `pid`. */
export function descendants(pid: number): Array<{ pid: number; command: string }> {
  const rows = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((line) => {
      const [child, parent, ...command] = line.trim().split(/\s+/);
      return { pid: Number(child), ppid: Number(parent), command: command.join(' ') };
    });
  const found: Array<{ pid: number; command: string }> = [];
  const walk = (parent: number): void => {
    for (const row of rows) {
      if (row.ppid === parent) {
        found.push({ pid: row.pid, command: row.command });
        walk(row.pid);
      }
    }
  };
  walk(pid);
  return found;
}
