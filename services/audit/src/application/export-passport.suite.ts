import { parse } from 'node:querystring';
import type { EnvelopedEvent } from '@mgov/contracts';
import type { PassportDocument } from '@mgov/audit-domain';
import type { ExportSink } from './audit-export';
import { AuditQueries } from './audit-queries';
import { type AuditHarness, auditor } from './audit-test-harness';
import { signDigestNow } from './digest-signer';
import { governanceFlow } from './governance-flow.fixture';
import { loadSigningKey } from './signing-key';

function collectingSink() {
  const sink = { contentType: '', filename: '', chunks: [] as string[], ended: false };
  const port: ExportSink = {
    begin: (contentType, filename) => Object.assign(sink, { contentType, filename }),
    write: async (chunk) => void sink.chunks.push(chunk),
    end: () => void (sink.ended = true),
  };
  return { sink, port };
}

/** Filter aliases, streamed exports and model passports, each recorded in the access log. */
export function exportAndPassportBehaviour(h: AuditHarness): void {
  let flow: ReturnType<typeof governanceFlow>;
  let queries: AuditQueries;
  const ids = (events: readonly EnvelopedEvent[]) => events.map((e) => e.envelope.eventId);
  const found = async (filter: string) => (await queries.events(parse(filter) as Record<string, string>, auditor)).events.map((e) => e.eventId);
  beforeEach(async () => {
    flow = governanceFlow();
    await h.deliver(flow.all);
    queries = new AuditQueries(h.runtime(), h.config(), { exportPageSize: 4 });
  });

  it('map model, modelVersion, datasetVersion and source onto link subjects, all of which must match', async () => {
    const linking = (...subjects: string[]) => ids(flow.all.filter((e) => subjects.every((s) => e.envelope.links.includes(s))));
    expect(await found('model=churn')).toEqual(linking('model:churn'));
    expect(await found('modelVersion=churn:1')).toEqual(linking('model-version:churn:1'));
    expect(await found('datasetVersion=d1')).toEqual(linking('dataset-version:d1'));
    expect(await found('source=crm')).toEqual(linking('source:crm'));
    expect(await found('model=churn&modelVersion=churn:1&type=ModelQuarantined')).toEqual(ids(flow.all.filter((e) => e.type === 'ModelQuarantined')));
    expect(await found('subject=run:r1&datasetVersion=d1')).toEqual(linking('run:r1', 'dataset-version:d1'));
    await expect(queries.events({ modelVersion: 'churn' }, auditor)).rejects.toMatchObject({ code: 'AUDIT.INVALID_QUERY' });
  });

  it('export JSON Lines page by page, every event once, in ledger order', async () => {
    const { sink, port } = collectingSink();
    expect(await queries.export({ model: 'churn' }, auditor, port)).toBe(8);
    expect(sink).toMatchObject({ contentType: 'application/x-ndjson; charset=utf-8', filename: expect.stringMatching(/\.jsonl$/), ended: true });
    expect(sink.chunks).toHaveLength(2);
    const lines = sink.chunks.join('').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((e) => e.eventId)).toEqual(ids(flow.all.filter((e) => e.envelope.links.includes('model:churn'))));
    expect(lines[0]).toMatchObject({ type: 'ModelVersionSubmitted', actor: { id: 'scientist' }, data: { candidateId: 'c1' }, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('export CSV with one header row, quoting what needs quoting', async () => {
    const { sink, port } = collectingSink();
    expect(await queries.export({ format: 'csv', type: 'ModelVersionApproved' }, auditor, port)).toBe(2);
    const [header, ...rows] = sink.chunks.join('').trimEnd().split('\n');
    expect(sink.contentType).toBe('text/csv; charset=utf-8');
    expect(header).toBe('position,eventId,type,service,streamId,streamVersion,occurredAt,recordedAt,actorId,actorRole,correlationId,causationId,traceId,links,data,hash,prevHash');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(',ModelVersionApproved,registry,model:churn,');
    expect(rows[0]).toContain('"{""modelName"":""churn"",""candidateId"":""c1"",""approvedBy"":""reviewer"",""justification"":""gates passed""}"');
    const empty = collectingSink();
    expect(await queries.export({ format: 'csv', source: 'nowhere' }, auditor, empty.port)).toBe(0);
    expect(empty.sink.chunks.join('')).toMatch(/^position,eventId,/);
  });

  it('record each export with its filter, range and exact count before streaming', async () => {
    await queries.export({ format: 'csv', service: 'registry', after: '2' }, auditor, collectingSink().port);
    const [entry] = (await queries.accessLog({}, auditor)).entries;
    expect(entry).toMatchObject({
      actor: auditor.actor, resultCount: 6,
      query: { kind: 'export', format: 'csv', filter: { after: '2', service: 'registry' }, through: expect.stringMatching(/^\d+$/) },
    });
    await expect(queries.export({ format: 'xml' }, auditor, collectingSink().port)).rejects.toMatchObject({ code: 'AUDIT.INVALID_QUERY' });
    await expect(queries.export({ limit: '5' }, auditor, collectingSink().port)).rejects.toMatchObject({ code: 'AUDIT.INVALID_QUERY' });
  });

  it('build the passport of a model version in sections, from its events and links', async () => {
    const passport = (await queries.passport('churn', '1', {}, auditor)).body as PassportDocument;
    const section = (id: string) => passport.sections.find((s) => s.id === id)!;
    expect(passport.sections.map((s) => s.id)).toEqual(['sources', 'datasets', 'privacy-bias', 'runs', 'review', 'deployments', 'monitoring', 'cases', 'verification']);
    expect(passport.summary).toMatchObject({ facts: expect.arrayContaining([['Status', 'quarantined'], ['Registry tag', 'churn:1'], ['Artifact digest', 'sha256:r1']]) });
    expect(section('sources').blocks[0]).toMatchObject({ kind: 'table', rows: [['crm', 'crm', 'database', 'internal', 'steward', '—', '—'], expect.arrayContaining(['legacy'])] });
    expect(section('runs').blocks[0]).toMatchObject({ rows: [['r1', 'churn', 'd1', 'depth=4', 'accuracy=0.875, demographic_parity=0.0625', 'sha256:r1', 'completed', expect.stringContaining('by scientist')]] });
    expect(section('review').blocks.map((b) => (b as { caption: string }).caption)).toEqual(['Submission', 'Approvals', 'Registration']);
    expect(section('deployments').blocks).toEqual([{ kind: 'paragraph', text: 'No deployment recorded.' }]);
    expect(section('cases').eventIds).toEqual(ids(flow.v1Chain.filter((e) => e.type === 'ModelQuarantined')));
    expect(passport.sections.flatMap((s) => s.eventIds).sort()).toEqual(ids(flow.v1Chain).sort());
    expect(passport.verification).toMatchObject({ ok: true, events: { checked: flow.v1Chain.length, ok: true }, digest: null });
  });

  it('render the passport as Markdown and HTML, and record each read', async () => {
    const markdown = (await queries.passport('churn', '1', { format: 'markdown' }, auditor)).body as string;
    expect(markdown).toMatch(/^# Model passport: churn:1\n/);
    expect(markdown).toContain('## Review');
    expect(markdown).toContain('| Candidate | Approved by | Approved | Justification |');
    const html = (await queries.passport('churn', '1', { format: 'html' }, auditor)).body as string;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h2>Sources and licenses</h2>');
    const kinds = (await queries.accessLog({}, auditor)).entries.map((e) => e.query);
    expect(kinds).toEqual([
      { kind: 'passport', modelVersion: 'model-version:churn:1', format: 'markdown' },
      { kind: 'passport', modelVersion: 'model-version:churn:1', format: 'html' },
    ]);
    await expect(queries.passport('churn', '1', { format: 'pdf' }, auditor)).rejects.toMatchObject({ code: 'AUDIT.INVALID_QUERY' });
  });

  it('anchor the passport to a signed digest, and flag an edit of one of its events', async () => {
    const signed = await signDigestNow(h.runtime(), loadSigningKey(h.config().digests));
    expect(signed).toHaveProperty('signed');
    const anchored = (await queries.passport('churn', '1', {}, auditor)).body as PassportDocument;
    expect(anchored.verification).toMatchObject({ ok: true, digest: { ok: true, position: (signed as { signed: { position: string } }).signed.position } });
    const approval = flow.v1Chain.find((e) => e.type === 'ModelVersionApproved')!;
    const position = await h.positionOf(approval);
    await h.asOwner(`${h.schema}.ledger`, 'ledger_append_only', `UPDATE ${h.schema}.ledger SET actor_id = 'mallory' WHERE position = ${position}`);
    const flagged = (await queries.passport('churn', '1', {}, auditor)).body as PassportDocument;
    expect(flagged.verification).toMatchObject({ ok: false, events: { ok: false, firstBroken: { position, reason: expect.stringContaining('actor_id') } } });
  });
}
