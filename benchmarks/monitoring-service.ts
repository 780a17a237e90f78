// Child process of benchmarks/monitoring.bench.ts: the monitoring service alone, with the node flags
// it is deployed with, on the database the bench set up. Alone, so that its RSS and CPU are its own
// (in the bench's process, the publisher's and the set-up's memory counted in the peak RSS).
// argv: databaseUrl brokers fetchThread(1|0) helperThreadsNice. Over IPC: sends {kind: 'subscribed'} once consuming;
// on {kind: 'measured'} sends {kind: 'measured', cpuSeconds, rssBefore, peakRss, peakHeap, heapLimit}
// of the span since subscribed; on {kind: 'stop'} stops and exits.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapStatistics } from 'node:v8';
import { attachMonitoringHost } from '../services/monitoring/test/monitoring-host';

export type ToService = { readonly kind: 'measured' } | { readonly kind: 'stop' };
export type FromService =
  | { readonly kind: 'subscribed' }
  | { readonly kind: 'measured'; readonly cpuSeconds: number; readonly mainThread: { readonly ran: number; readonly waited: number } | null;
    readonly threads: Readonly<Record<string, number>>; readonly rssBefore: number; readonly peakRss: number; readonly peakHeap: number; readonly heapLimit: number };

const send = (message: FromService) => process.send!(message);

/** CPU seconds so far of each thread of this process, by Linux thread id and name; empty elsewhere. */
function threadSeconds(): Map<string, number> {
  const threads = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(`${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}:${tid}`, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // Not Linux: no per-thread figures.
  }
  return threads;
}

/**
 * Seconds this process's main thread ran, and waited to run (ready, but every core busy), from
 * Linux's scheduler statistics; null elsewhere.
 */
function mainThreadSchedule(): { ran: number; waited: number } | null {
  try {
    const [ran, waited] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return { ran: ran! / 1e9, waited: waited! / 1e9 };
  } catch {
    return null;
  }
}

/**
 * BENCH_PROFILE=FILE writes a CPU profile of the service's consumption (open it in Chrome DevTools);
 * BENCH_ALLOCATIONS=FILE a sampled allocation profile of the same span (what makes the garbage).
 */
async function startProfile(): Promise<{ stop(): Promise<void> } | undefined> {
  const cpuFile = process.env.BENCH_PROFILE;
  const allocationFile = process.env.BENCH_ALLOCATIONS;
  if (!cpuFile && !allocationFile) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  if (cpuFile) {
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  if (allocationFile) await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop() {
      if (cpuFile) writeFileSync(cpuFile, JSON.stringify(((await post('Profiler.stop')) as { profile: unknown }).profile));
      if (allocationFile) writeFileSync(allocationFile, JSON.stringify(((await post('HeapProfiler.stopSampling')) as { profile: unknown }).profile));
      session.disconnect();
    },
  };
}

async function main(): Promise<void> {
  const [databaseUrl, brokers, fetchThread, helperThreadsNice] = process.argv.slice(2);
  let peakRss = 0;
  let peakHeap = 0;
  const rssBefore = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  }, 50);
  const host = await attachMonitoringHost({ databaseUrl: databaseUrl!, brokers: brokers!, windowSize: 1000, fetchThread: fetchThread === '1', helperThreadsNice: Number(helperThreadsNice ?? 0) });
  const cpu = process.cpuUsage();
  const mainBefore = mainThreadSchedule();
  const threadsBefore = threadSeconds();
  const profiling = await startProfile();
  send({ kind: 'subscribed' });
  process.on('message', (message: ToService) => {
    void (async () => {
      if (message.kind === 'measured') {
        const used = process.cpuUsage(cpu);
        const mainNow = mainThreadSchedule();
        const threads = Object.fromEntries([...threadSeconds()].map(([name, seconds]) => [name, Math.round((seconds - (threadsBefore.get(name) ?? 0)) * 100) / 100]).filter(([, seconds]) => (seconds as number) > 0));
        await profiling?.stop();
        clearInterval(sampler);
        send({ kind: 'measured', cpuSeconds: (used.user + used.system) / 1e6, mainThread: mainNow === null || mainBefore === null ? null : { ran: mainNow.ran - mainBefore.ran, waited: mainNow.waited - mainBefore.waited },
          threads, rssBefore, peakRss, peakHeap, heapLimit: getHeapStatistics().heap_size_limit });
      } else {
        await host.stop();
        await host.drop();
        process.exit(0);
      }
    })();
  });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
