import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { avroCodec, type EnvelopedEvent } from '@mgov/contracts';
import type { RunningHost } from '@mgov/http-edge';
import { Topics } from '@mgov/messaging';
import { activeTraceContext, Attr, initTelemetry, shutdownTelemetry } from '@mgov/telemetry';
import { startEmbeddedPlatform } from '../src/embedded-platform';
import { runGovernanceFlow } from '@mgov/demo-flow';
import { expectWholeGovernanceChain } from './governance-chain.expectations';
import { bootstrapAdmin } from './access.fixture';

const spans = new InMemorySpanExporter();
initTelemetry({ serviceName: 'mgov-e2e', exporter: spans });

describe('walking skeleton on the embedded runtime (one process, PGlite, in-process bus)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mgov-embedded-'));
  let host: RunningHost;
  const quarantined: EnvelopedEvent[] = [];
  const admin = bootstrapAdmin();

  beforeAll(async () => {
    host = await startEmbeddedPlatform({ dataDir, port: 0, monitoringWindowSize: 50, bootstrapToken: admin.token });
    await host.bus.subscribe({
      groupId: 'downstream-test', topics: [Topics.quarantine], fromBeginning: true,
      handle: async (message) => void quarantined.push(avroCodec().decodeEvent(message.value)),
    });
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    await shutdownTelemetry();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs source → data → run → approval → predictions → breach → quarantine → audit, as one trace', async () => {
    const root = trace.getTracer('e2e').startSpan('governance flow');
    const traceId = root.spanContext().traceId;
    const { traceparent } = context.with(trace.setSpan(context.active(), root), activeTraceContext);
    const result = await runGovernanceFlow({ urlOf: () => host.url, adminToken: admin.token, traceparent: traceparent ?? undefined, windowSize: 50 });
    root.end();

    expectWholeGovernanceChain(result);
    await waitUntil(() => quarantined.some((e) => e.type === 'ModelQuarantined' && e.data.modelName === result.modelName));

    // One trace across all six services: every event of the chain and every span carries it.
    expect(new Set(result.chain.events.map((e) => e.traceId))).toEqual(new Set([traceId]));
    const servicesInTrace = new Set(spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId)
      .map((s) => s.attributes[Attr.service]).filter(Boolean));
    expect([...servicesInTrace]).toEqual(expect.arrayContaining(['audit', 'experiment', 'lineage', 'monitoring', 'registry', 'retraining']));
  }, 180_000);

  it('keeps every fact across a restart on the same data directory', async () => {
    await host.stop();
    host = await startEmbeddedPlatform({ dataDir, port: 0, monitoringWindowSize: 50, bootstrapToken: admin.token });
    const verify = (await (await fetch(`${host.url}/audit/verify`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as { ok: boolean; entries: number };
    expect(verify).toMatchObject({ ok: true });
    expect(verify.entries).toBeGreaterThanOrEqual(13);
    const health = await fetch(`${host.url}/health`);
    expect(health.status).toBe(200);
  }, 120_000);
});

async function waitUntil(condition: () => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
