// Child process of benchmarks/monitoring.bench.ts: the monitoring service alone, with the node flags
// it is deployed with, on the database the bench set up. Alone, so that its RSS and CPU are its own
// (in the bench's process, the publisher's and the set-up's memory counted in the peak RSS).
// argv: databaseUrl brokers fetchThread(1|0). Over IPC: sends {kind: 'subscribed'} once consuming;
// on {kind: 'measured'} sends {kind: 'measured', cpuSeconds, rssBefore, peakRss, peakHeap, heapLimit}
// of the span since subscribed; on {kind: 'stop'} stops and exits.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapStatistics } from 'node:v8';
import { attachMonitoringHost } from '../services/monitoring/test/monitoring-host';

export type ToService = { readonly kind: 'measured' } | { readonly kind: 'stop' };
export type FromService =
  | { readonly kind: 'subscribed' }
  | { readonly kind: 'measured'; readonly cpuSeconds: number; readonly rssBefore: number; readonly peakRss: number; readonly peakHeap: number; readonly heapLimit: number };

const send = (message: FromService) => process.send!(message);

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
  const [databaseUrl, brokers, fetchThread] = process.argv.slice(2);
  let peakRss = 0;
  let peakHeap = 0;
  const rssBefore = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    peakRss = Math.max(peakRss, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  }, 50);
  const host = await attachMonitoringHost({ databaseUrl: databaseUrl!, brokers: brokers!, windowSize: 1000, fetchThread: fetchThread === '1' });
  const cpu = process.cpuUsage();
  const profiling = await startProfile();
  send({ kind: 'subscribed' });
  process.on('message', (message: ToService) => {
    void (async () => {
      if (message.kind === 'measured') {
        const used = process.cpuUsage(cpu);
        await profiling?.stop();
        clearInterval(sampler);
        send({ kind: 'measured', cpuSeconds: (used.user + used.system) / 1e6, rssBefore, peakRss, peakHeap, heapLimit: getHeapStatistics().heap_size_limit });
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
