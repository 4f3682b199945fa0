import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The pid of the jongodb the embedded runtime started, kept in `<dataDir>/embedded-mongodb/jongodb.pid`.
 * A runtime killed with SIGKILL cannot stop its jongodb, which then runs on as an orphan; the next
 * start of the same data directory finds the pid here and kills it, if that process still runs
 * jongodb (a reused pid of another program is left alone). Returns the pid it killed, if any.
 */
export async function killOrphanedJongodb(dataDir: string): Promise<number | undefined> {
  const file = pidFile(dataDir);
  let pid: number;
  try {
    pid = Number((await readFile(file, 'utf8')).trim());
  } catch {
    return undefined;
  }
  await rm(file, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let command: string;
  try {
    command = await readFile(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
  if (!command.includes('jongodb')) return undefined;
  try {
    process.kill(pid, 'SIGKILL');
    return pid;
  } catch {
    return undefined;
  }
}

export async function writeJongodbPid(dataDir: string, pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  await mkdir(join(dataDir, 'embedded-mongodb'), { recursive: true, mode: 0o700 });
  await writeFile(pidFile(dataDir), `${pid}\n`, { mode: 0o600 });
}

export async function removeJongodbPid(dataDir: string): Promise<void> {
  await rm(pidFile(dataDir), { force: true });
}

function pidFile(dataDir: string): string {
  return join(dataDir, 'embedded-mongodb', 'jongodb.pid');
}
