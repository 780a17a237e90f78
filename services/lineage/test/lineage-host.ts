import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { EnvelopedEvent } from '@mgov/contracts';
import { Client } from 'pg';
import { postgresDatabase } from '@mgov/event-store';
import { hostServices, type RunningHost } from '@mgov/http-edge';
import { embeddedBus } from '@mgov/messaging';
import { lineageDefinition } from '../src/lineage.definition';

export const databaseUrl = process.env.MGOV_DATABASE_URL;
const JWT_SECRET = randomBytes(32).toString('hex');

export interface CallResult {
  readonly status: number;
  readonly body: Record<string, unknown> & { error?: { code: string; message: string } };
  readonly headers: Headers;
  readonly text: string;
}

export interface LineageHostOptions {
  readonly datasetMaxBytes?: number;
}

/**
 * Lineage alone on a fresh PostgreSQL database (embedded bus), with a key file
 * for the privacy gate and people who present HS256 JWTs: `as(role)` gives their Authorization header.
 * Call inside a `describe`; needs MGOV_DATABASE_URL (`node tools/infra/run-with-infra.js npx jest …`).
 */
export function lineageHost(options: LineageHostOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mgov-lineage-it-'));
  const database = `lineage_it_${randomBytes(4).toString('hex')}`;
  const keyFile = join(dir, 'pseudonymization.key');
  const state = { host: undefined as unknown as RunningHost };
  /** An Authorization header for a person holding `role`. */
  const as = async (role: string, id = role.split('-')[0]!): Promise<Record<string, string>> => {
    const token = await new SignJWT({ roles: [role] }).setProtectedHeader({ alg: 'HS256' }).setSubject(id).setExpirationTime('1h').sign(Buffer.from(JWT_SECRET));
    return { authorization: `Bearer ${token}` };
  };
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };

  beforeAll(async () => {
    writeFileSync(keyFile, randomBytes(32).toString('hex'));
    await admin(`CREATE DATABASE ${database}`);
    const url = new URL(databaseUrl!);
    url.pathname = `/${database}`;
    const db = await postgresDatabase(url.toString());
    state.host = await hostServices({
      title: 'lineage-it', definitions: [lineageDefinition], db, bus: embeddedBus(db, { schema: 'mgov_bus' }),
      port: 0, host: '127.0.0.1', jwt: { secret: JWT_SECRET },
      settings: {
        objectStoreDir: join(dir, 'objects'), monitoringWindowSize: 50, datasetMaxBytes: options.datasetMaxBytes ?? 1024 * 1024,
        pseudonymizationKey: { file: keyFile },
      },
    });
  }, 60_000);

  afterAll(async () => {
    await state.host?.stop();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(method: string, path: string, role: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<CallResult> {
    const auth = role ? await as(role) : {};
    const json = body !== undefined && !(body instanceof Uint8Array) && typeof body !== 'string';
    const response = await fetch(`${state.host.url}${path}`, {
      method, headers: { ...auth, ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : json ? JSON.stringify(body) : (body as string | Uint8Array),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a download): keep the text.
    }
    return { status: response.status, body: parsed as CallResult['body'], headers: response.headers, text };
  }

  const host = {
    get url() {
      return state.host.url;
    },
    get runtime() {
      return state.host.kernels[0]!.runtime;
    },
    keyFile,
    objectsDir: join(dir, 'objects'),
    as,
    /** Every file under the object store (staging included), so a test can see that nothing was left behind. */
    storedFiles(): string[] {
      const walk = (path: string): string[] => {
        if (!statSync(path, { throwIfNoEntry: false })) return [];
        return statSync(path).isDirectory() ? readdirSync(path).flatMap((entry) => walk(join(path, entry))) : [path];
      };
      return walk(join(dir, 'objects'));
    },
    /** Lineage's events of these types, decoded, in log order. */
    async events(...types: string[]): Promise<Array<{ type: string; data: Record<string, unknown>; envelope: EnvelopedEvent['envelope'] }>> {
      const runtime = host.runtime;
      const rows: Array<{ data: Buffer; type: string }> = await runtime.db.query(`SELECT type, data FROM ${runtime.schema}.events WHERE type = ANY($1) ORDER BY position`, [types]);
      return rows.map((row) => runtime.codec.decodeEvent(row.data) as unknown as { type: string; data: Record<string, unknown>; envelope: EnvelopedEvent['envelope'] });
    },
    call,
    /** Calls until `accept` holds (read models catch up a moment after the write). */
    async eventually(method: string, path: string, role: string, accept: (response: CallResult) => boolean): Promise<CallResult> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const response = await call(method, path, role);
        if (accept(response) || Date.now() > deadline) return response;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  return host;
}

export type LineageHost = ReturnType<typeof lineageHost>;
