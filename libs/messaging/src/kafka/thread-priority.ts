import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's scheduling priority (Linux nice), so that the thread it works for
 * runs first when cores are short. False off Linux, or where the system refuses (it then keeps its
 * priority).
 */
export function lowerThisThread(nice: number): boolean {
  try {
    // "<pid>/task/<tid>": node has no gettid, Linux names the calling thread this way.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
