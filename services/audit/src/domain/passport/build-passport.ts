import type { Block, PassportDocument, PassportEvent, PassportSection, PassportVerification } from './passport-document';
import { PASSPORT_SECTIONS } from './passport-sections';
import { type DataOf, genericTable, type SectionSpec, tablesByType } from './section-kit';

export interface PassportInput {
  readonly name: string;
  readonly version: number;
  /** Every ledger event about the model version and its upstream, in ledger order. */
  readonly events: readonly PassportEvent[];
  readonly generatedAt: string;
  readonly verification: PassportVerification;
  readonly sections?: readonly SectionSpec[];
}

/** Sorts events into the sections by type (unknown types into "Other events") and renders each. */
export function buildPassport(input: PassportInput): PassportDocument {
  const specs = input.sections ?? PASSPORT_SECTIONS;
  const specOf = new Map<string, SectionSpec>();
  for (const spec of specs) for (const type of [...spec.views.map((v) => v.type), ...(spec.extraTypes ?? [])]) specOf.set(type, spec);
  // A view or an explicit type wins over a name pattern; the first section whose pattern matches takes the rest.
  const sectionOf = (type: string) => specOf.get(type) ?? specs.find((spec) => spec.claims?.test(type));
  const inSection = (spec: SectionSpec) => input.events.filter((e) => sectionOf(e.type) === spec);
  const others = input.events.filter((e) => sectionOf(e.type) === undefined);
  const sections: PassportSection[] = specs.map((spec) => {
    const events = inSection(spec);
    const blocks = events.length === 0 ? [] : (spec.render ?? tablesByType)(events, spec);
    return { id: spec.id, title: spec.title, blocks: blocks.length > 0 ? blocks : [paragraph(spec.empty)], eventIds: events.map((e) => e.eventId) };
  });
  if (others.length > 0) sections.push({ id: 'other', title: 'Other events', blocks: genericTable(others), eventIds: others.map((e) => e.eventId) });
  sections.push({ id: 'verification', title: 'Chain verification', blocks: verificationBlocks(input.verification), eventIds: [] });
  const tag = `${input.name}:${input.version}`;
  return {
    title: `Model passport: ${tag}`,
    modelVersion: tag,
    generatedAt: input.generatedAt,
    summary: summary(input, tag),
    sections,
    verification: input.verification,
  };
}

const paragraph = (text: string): Block => ({ kind: 'paragraph', text });

function summary(input: PassportInput, tag: string): Block {
  const ofThisVersion = (type: string) =>
    input.events.filter((e) => e.type === type && (e.data as { version?: number; modelVersion?: number; modelName?: string }).modelName === input.name
      && ((e.data as { version?: number }).version ?? (e.data as { modelVersion?: number }).modelVersion) === input.version);
  const registered = ofThisVersion('ModelVersionRegistered').at(-1)?.data as DataOf<'ModelVersionRegistered'> | undefined;
  const quarantined = ofThisVersion('ModelQuarantined').length > 0;
  const status = quarantined ? 'quarantined' : registered ? 'registered' : 'not registered';
  const positions = input.events.map((e) => e.position);
  return {
    kind: 'facts',
    facts: [
      ['Model version', tag],
      ['Status', status],
      ['Registry tag', registered?.tag ?? '—'],
      ['Artifact digest', registered?.digest ?? '—'],
      ['Ledger events', positions.length === 0 ? 'none' : `${positions.length} (positions ${positions[0]} to ${positions.at(-1)})`],
      ['Chain verification', input.verification.ok ? 'intact' : 'BROKEN'],
      ['Generated', input.generatedAt],
    ],
  };
}

function verificationBlocks(v: PassportVerification): Block[] {
  const events = v.events.ok
    ? `${v.events.checked} events: each hash recomputes from its stored bytes and links to its ledger neighbours`
    : `BROKEN at position ${v.events.firstBroken?.position}: ${v.events.firstBroken?.reason}`;
  const digest = v.digest === null
    ? 'no signed digest covers these events yet'
    : v.digest.ok
      ? `signed digest at position ${v.digest.position} (${v.digest.at}, key ${v.digest.keyId}) still matches the ledger`
      : `signed digest at position ${v.digest.position} FAILS: ${v.digest.reason}`;
  return [
    { kind: 'facts', facts: [['Result', v.ok ? 'intact' : 'BROKEN'], ['Passport events', events], ['Signed digest', digest]] },
    paragraph(v.note),
  ];
}
