import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

describe('helper threads yielding to the main thread', () => {
  // Linux's per-thread scheduling (CI runs on Linux; elsewhere the function lowers nothing).
  it('lowers every thread of the process but the main one, a worker too', () => {
    // Given a process with a worker thread, besides node's own helpers
    const run = spawnSync(process.execPath, ['-r', join(root, 'tools/register.js'), join(__dirname, 'fixtures/lower-helper-threads.ts'), '7'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const { pid, mainBefore, lowered, nice } = JSON.parse(run.stdout.trim()) as { pid: number; mainBefore: number; lowered: number; nice: Record<string, number> };

    // When its helper threads are lowered to nice 7
    const helpers = Object.entries(nice).filter(([tid]) => Number(tid) !== pid);

    // Then each of them runs at 7, the main thread as it was, and the count says so
    expect(helpers.length).toBeGreaterThanOrEqual(2);
    expect(helpers.every(([, value]) => value === 7)).toBe(true);
    expect(mainBefore).not.toBe(7);
    expect(nice[String(pid)]).toBe(mainBefore);
    expect(lowered).toBe(helpers.length);
  });
});
