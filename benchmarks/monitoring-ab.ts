// A/B comparison of the monitoring service's consumption between checkouts, on one published
// stream: the machine is shared and noisy, and bench:monitoring publishes anew (30 s) and runs the
// bare consumers on each run; here each round runs every checkout once, in turn, on a copy of the
// same database, with the service's consumer groups put back to where they were before the first.
// Prints each run's rate and CPU per event (the service, its main thread, the whole machine), and
// per checkout the medians and the rate's ratio to the first checkout's.
// Run: npm run bench:monitoring-ab -- CHECKOUT... [--rounds N] (a checkout: a directory with this
// repository's sources and node_modules, e.g. `git worktree add /tmp/base HEAD~1` and a symlink;
// `DIR::FLAGS` runs its service with node flags added to the deployment's, e.g. `.::--v8-pool-size=1`;
// `DIR::FLAGS::N` with MGOV_MONITORING_HELPER_THREADS_NICE=N instead of the deployment's, e.g. `.::::0`).
// BENCH_THREADS=1 also prints each run's CPU seconds by thread of the service's process.
import { resolve } from 'node:path';
import { adminQuery, benchKafka, consumeWithService, databaseNamed, endOffsets, rewindGroups, setUpMonitoringBench, stopService } from './monitoring-run';

const EVENTS = Number(process.env.BENCH_MONITORING_EVENTS ?? 1_000_000);
const databaseUrl = process.env.MGOV_DATABASE_URL!;
const brokers = process.env.MGOV_KAFKA_BROKERS!;
const kafka = benchKafka(brokers);

function parseArgs(argv: readonly string[]): { checkouts: string[]; rounds: number } {
  const checkouts: string[] = [];
  let rounds = 3;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--rounds') rounds = Number(argv[(i += 1)]);
    else checkouts.push(argv[i]!);
  }
  if (checkouts.length === 0 || !Number.isInteger(rounds) || rounds < 1) {
    console.error('usage: npm run bench:monitoring-ab -- CHECKOUT... [--rounds N]');
    process.exit(2);
  }
  return { checkouts, rounds };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

async function main(): Promise<void> {
  const { checkouts, rounds } = parseArgs(process.argv.slice(2));
  const { host, published } = await setUpMonitoringBench(databaseUrl, brokers, EVENTS);
  const total = published.events + published.outcomes;
  const ends = await endOffsets(kafka);
  const template = new URL(host.databaseUrl).pathname.slice(1);
  await host.db.close();
  const results = checkouts.map(() => ({ rates: [] as number[], cpu: [] as number[], main: [] as number[], waited: [] as number[], machine: [] as number[] }));
  for (let round = 1; round <= rounds; round += 1) {
    for (const [c, root] of checkouts.entries()) {
      const database = `ab_${round}_${c}`;
      await adminQuery(databaseUrl, `CREATE DATABASE ${database} TEMPLATE ${template}`);
      await rewindGroups(kafka);
      const [dir, flags = '', nice] = root.split('::');
      const run = await consumeWithService({
        databaseUrl: databaseNamed(databaseUrl, database), brokers, ends, fetchThread: true, root: resolve(dir!), extraFlags: flags.split(' ').filter(Boolean),
        ...(nice === undefined ? {} : { helperThreadsNice: Number(nice) }),
      });
      await stopService(run);
      await adminQuery(databaseUrl, `DROP DATABASE ${database} WITH (FORCE)`);
      const rate = total / run.seconds;
      const perEvent = (seconds: number | null) => (seconds === null ? Number.NaN : (seconds / total) * 1e6);
      const cpu = perEvent(run.measured.cpuSeconds);
      const main = perEvent(run.measured.mainThread?.ran ?? null);
      const waited = perEvent(run.measured.mainThread?.waited ?? null);
      const machine = perEvent(run.machineCpuSeconds);
      results[c]!.rates.push(rate);
      results[c]!.cpu.push(cpu);
      results[c]!.main.push(main);
      results[c]!.waited.push(waited);
      results[c]!.machine.push(machine);
      console.log(`round ${round} ${root}: ${rate.toFixed(0)} events/s; CPU per event (us): service ${cpu.toFixed(2)}, its main thread ${main.toFixed(2)} (+${waited.toFixed(2)} waiting for a core), machine ${machine.toFixed(2)}; peak RSS ${(run.measured.peakRss / 2 ** 20).toFixed(0)} MB`);
      if (process.env.BENCH_THREADS === '1') console.log(`  CPU seconds by thread: ${JSON.stringify(run.measured.threads)}`);
    }
  }
  const first = median(results[0]!.rates);
  console.log(`monitoring A/B: ${total.toLocaleString()} events, ${rounds} round(s), medians`);
  for (const [c, root] of checkouts.entries()) {
    const rate = median(results[c]!.rates);
    const us = (values: number[]) => median(values).toFixed(2);
    console.log(`  ${root.padEnd(30)} ${rate.toFixed(0).padStart(8)} events/s (ratio to the first ${(rate / first).toFixed(3)}); CPU per event (us): service ${us(results[c]!.cpu)}, main thread ${us(results[c]!.main)} (+${us(results[c]!.waited)} waiting), machine ${us(results[c]!.machine)}`);
  }
  await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
