import { Subject } from '@mgov/contracts';
import {
  buildPassport, parseModelVersionRef, parsePassportFormat, type PassportDocument, passportHtml, passportMarkdown, type PassportEvent,
} from '@mgov/audit-domain';
import type { CommandMetadata } from '@mgov/decider';
import { recordedRead } from './access-log';
import type { AuditRuntime } from './audit-runtime';
import { ledgerSchema } from './ledger.sql';
import { type LedgerRow, toAuditEvent } from './ledger-row';
import { readModelVersionChain } from './model-version-chain';
import { passportVerification } from './passport-verification';
import type { SigningKey } from './signing-key';

export type RenderedPassport =
  | { readonly format: 'json'; readonly body: PassportDocument }
  | { readonly format: 'markdown' | 'html'; readonly body: string };

/**
 * The model passport: every ledger event about the model version and its upstream, sorted into
 * sections by event type, verified, and rendered as JSON, Markdown or HTML. Recorded as a read.
 */
export async function modelPassport(
  runtime: AuditRuntime, key: () => SigningKey, ref: { name: unknown; version: unknown }, raw: Readonly<Record<string, unknown>>, reader: CommandMetadata,
): Promise<RenderedPassport> {
  const { name, version } = parseModelVersionRef(ref.name, ref.version);
  const format = parsePassportFormat(raw);
  const modelVersion = Subject.modelVersion(name, version);
  const { rows, verification } = await recordedRead(runtime.db, runtime.schema, reader, { kind: 'passport', modelVersion, format }, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const found = await readModelVersionChain(tx, ledgerSchema(runtime.schema), modelVersion);
    const checked = await passportVerification(tx, runtime.schema, found, runtime.codec, key);
    return { result: { rows: found, verification: checked }, count: found.length };
  });
  const events = rows.map((row) => readable(row, runtime));
  const document = buildPassport({ name, version, events, generatedAt: new Date(reader.now).toISOString(), verification });
  if (format === 'json') return { format, body: document };
  return { format, body: format === 'markdown' ? passportMarkdown(document) : passportHtml(document) };
}

/** An entry whose payload no longer decodes still appears (the verification says why). */
function readable(row: LedgerRow, runtime: AuditRuntime): PassportEvent {
  try {
    return toAuditEvent(row, runtime.codec);
  } catch (error) {
    return {
      position: row.position, eventId: row.event_id, type: row.event_type, occurredAt: new Date(Number(row.occurred_ms)).toISOString(),
      actor: { id: row.actor_id, role: row.actor_role }, streamId: row.stream_id, links: row.links,
      data: { undecodable: (error as Error).message },
    };
  }
}
