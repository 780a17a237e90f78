import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the scheduling priority (Linux nice) of every thread of this process but the main one:
 * V8's compiler threads, libuv's pool, worker threads. Where the main thread is the bottleneck and
 * the machine has fewer cores than busy threads, it then runs first and the helpers take what is
 * left; with cores to spare nothing changes. Lowering a priority needs no privilege. Returns the
 * threads lowered (0 off Linux, or where the system refuses).
 *
 * Threads started later are not lowered: a worker that should yield lowers itself (`lowerThisThread`).
 */
export function lowerHelperThreads(nice: number): number {
  let lowered = 0;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  for (const task of tasks) {
    const tid = Number(task);
    if (tid === process.pid) continue;
    try {
      setPriority(tid, nice);
      lowered += 1;
    } catch {
      // The thread ended meanwhile, or the system does not allow it: it keeps its priority.
    }
  }
  return lowered;
}
