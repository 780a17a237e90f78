import { buildPassport } from './build-passport';
import type { PassportEvent, PassportVerification } from './passport-document';
import { PASSPORT_SECTIONS } from './passport-sections';
import { passportHtml } from './render-html';
import { passportMarkdown } from './render-markdown';
import { view } from './section-kit';

const verification: PassportVerification = { ok: true, events: { checked: 3, ok: true }, digest: null, note: 'checked' };
let position = 0;
const event = (type: string, data: unknown): PassportEvent => ({
  position: String(++position), eventId: `e${position}`, type, occurredAt: '2030-01-01T09:00:00.000Z',
  actor: { id: 'reviewer', role: 'model-reviewer' }, streamId: 'model:churn', links: ['model:churn'], data,
});
const approval = (justification: string) => event('ModelVersionApproved', { modelName: 'churn', candidateId: 'c1', approvedBy: 'rita', justification });
const build = (events: PassportEvent[], sections = PASSPORT_SECTIONS) =>
  buildPassport({ name: 'churn', version: 1, events, generatedAt: '2030-01-02T00:00:00.000Z', verification, sections });

describe('model passport', () => {
  it('puts an event type no section knows into "Other events", rendered generically', () => {
    const deployed = event('ModelDeployed', { environment: 'prod', replicas: 3 });
    const passport = build([approval('ok'), deployed]);
    const other = passport.sections.find((s) => s.id === 'other')!;
    expect(other.eventIds).toEqual([deployed.eventId]);
    expect(other.blocks).toEqual([{ kind: 'table', columns: ['Position', 'Type', 'At', 'Actor', 'Stream', 'Data'],
      rows: [[deployed.position, 'ModelDeployed', '2030-01-01T09:00:00.000Z', 'reviewer', 'model:churn', '{"environment":"prod","replicas":3}']] }]);
    expect(passport.sections.at(-1)!.id).toBe('verification');
  });

  it('lets a new event type slot into a section with only a view', () => {
    const withDeployments = PASSPORT_SECTIONS.map((s) => (s.id !== 'deployments' ? s : {
      ...s, views: [view('ModelVersionApproved', 'Deployments', { Who: (d) => d.approvedBy })],
    }));
    const passport = build([approval('ok')], withDeployments);
    expect(passport.sections.find((s) => s.id === 'deployments')!.blocks).toEqual([{ kind: 'table', caption: 'Deployments', columns: ['Who'], rows: [['rita']] }]);
    expect(passport.sections.find((s) => s.id === 'review')!.blocks).toEqual([{ kind: 'paragraph', text: 'No review recorded.' }]);
  });

  it('puts a privacy or bias result without a view into its section, drawn generically', () => {
    const scan = event('BiasScanCompleted', { datasetVersionId: 'd1', scannerVersion: '1.2', breaches: [] });
    const passport = build([scan, event('PrivacyGatePassed', { datasetVersionId: 'd1' })]);
    const section = passport.sections.find((s) => s.id === 'privacy-bias')!;
    expect(section.eventIds).toEqual([scan.eventId, expect.any(String)]);
    expect(section.blocks[0]).toMatchObject({ kind: 'table', rows: [[scan.position, 'BiasScanCompleted', expect.any(String), 'reviewer', 'model:churn', expect.stringContaining('"scannerVersion":"1.2"')], expect.any(Array)] });
    expect(passport.sections.find((s) => s.id === 'other')).toBeUndefined();
  });

  it('draws privacy gate and bias scan results with their own columns', () => {
    const flagged = event('BiasScanFlagged', {
      datasetVersionId: 'd1', policyVersion: 2, scannerName: 'clarify-lite', scannerVersion: '1.0.0', label: 'approved', positive: 'yes', rows: 500,
      thresholds: {}, groups: [], breaches: [{ facet: 'sex', group: 'f', metric: 'dpl', value: 0.3, threshold: 0.2 }],
    });
    const section = build([flagged]).sections.find((s) => s.id === 'privacy-bias')!;
    expect(section.blocks[0]).toMatchObject({ caption: 'Bias scan: flagged', rows: [['d1', 'clarify-lite 1.0.0', 'approved=yes', '500', '0', 'sex=f dpl 0.3 > 0.2', expect.any(String)]] });
  });

  it('says so when the only clearance came from the stub gate', () => {
    const passport = build([event('DatasetVersionClearedForTraining', { datasetVersionId: 'd1', gate: 'stub', policyVersion: 'p1' })]);
    expect(passport.sections.find((s) => s.id === 'privacy-bias')!.blocks.at(-1)).toMatchObject({ kind: 'paragraph', text: expect.stringContaining('stub gate') });
  });

  it('keeps event data as text in Markdown and HTML, whatever it contains', () => {
    const hostile = approval('<script>alert(1)</script> | *bold* [x](javascript:y)\nnext');
    const markdown = passportMarkdown(build([hostile]));
    expect(markdown).toContain('\\<script\\>alert(1)\\</script\\> \\| \\*bold\\* \\[x\\](javascript:y) next |');
    const html = passportHtml(build([hostile]));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | *bold* [x](javascript:y)\nnext');
  });

  it('shows a broken verification in the summary and its own section', () => {
    const broken = { ...verification, ok: false, events: { checked: 1, ok: false, firstBroken: { position: '7', reason: 'hash mismatch' } } };
    const passport = buildPassport({ name: 'churn', version: 1, events: [approval('ok')], generatedAt: 'now', verification: broken });
    expect(passport.summary).toMatchObject({ facts: expect.arrayContaining([['Chain verification', 'BROKEN']]) });
    expect(passportMarkdown(passport)).toContain('BROKEN at position 7: hash mismatch');
  });
});
