import { type Command, InvalidArgumentError } from 'commander';
import { isRole, KEY_ID_PATTERN, looksLikeApiKey, ROLES } from '@mgov/auth';
import { commaList } from './arguments';
import { cliOf, leaf } from './global-options';
import { listTable, recordTable } from './tables';

/** GET /access/whoami: who the presented credential speaks for. */
interface WhoAmI {
  readonly id: string;
  readonly roles: readonly string[];
  readonly via: 'api-key' | 'jwt';
  readonly keyId: string | null;
}

/** POST /access/api-keys: the one response that carries the key's token. */
interface IssuedApiKey {
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly expiresAt: string | null;
  readonly token: string;
  readonly notice?: string;
}

/** GET /access/api-keys: no hash, no secret. */
interface ApiKeySummary {
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly status: 'active' | 'revoked' | 'expired';
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

interface Revoked {
  readonly keyId: string;
  readonly revoked: true;
  readonly changed: boolean;
}

interface CreateOptions {
  readonly name: string;
  readonly role: string[];
  readonly expiresAt?: string;
}

const NOT_SHOWN_AGAIN = 'store this token now: MGov keeps only its hash and cannot show it again';
const keyPath = (keyId: string) => `/access/api-keys/${encodeURIComponent(keyId)}`;

export function addAuthCommands(program: Command): void {
  const auth = program.command('auth').description('who you are, and API keys (access; keys need the admin role)');

  leaf(auth, 'whoami', 'who the token (--token / MGOV_TOKEN) speaks for, and its roles (GET /access/whoami)')
    .action(async (_options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<WhoAmI>('/access/whoami'), (w) => recordTable(w, ['id', 'roles', 'via', 'keyId']));
    });

  const key = auth.command('key').description('API keys: create, list, revoke (admin)');

  leaf(key, 'create', 'issue an API key; its token is printed once and never again (POST /access/api-keys)')
    .requiredOption('--name <name>', 'what the key is for, e.g. "ci pipeline"')
    .requiredOption('--role <role...>', `role(s) the key holds: ${ROLES.join(', ')}`, collectRoles)
    .option('--expires-at <instant>', 'when the key stops working (ISO 8601, e.g. 2031-01-31T00:00:00Z; default: never)', isoInstant)
    .addHelpText('after', '\nWith --format json the whole response is printed, token included; keep it out of logs.')
    .action(async (options: CreateOptions, command: Command) => {
      const cli = cliOf(command);
      const issued = await cli.api.post<IssuedApiKey>('/access/api-keys', { name: options.name, roles: options.role, expiresAt: options.expiresAt });
      cli.out.show(issued, ({ token, notice: _notice, ...rest }) => `${recordTable(rest, ['keyId', 'name', 'roles', 'expiresAt'])}\ntoken: ${token}`);
      // On stderr in both formats, so a person sees it even when stdout goes to a file or a pipe.
      cli.out.note(issued.notice ?? NOT_SHOWN_AGAIN);
    });

  leaf(key, 'list', 'list API keys and their status, without secrets (GET /access/api-keys)')
    .action(async (_options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<ApiKeySummary[]>('/access/api-keys'), (rows) => listTable(rows, [
        { header: 'key', value: (r) => r.keyId },
        { header: 'name', value: (r) => r.name },
        { header: 'roles', value: (r) => r.roles },
        { header: 'status', value: (r) => r.status },
        { header: 'issued', value: (r) => r.issuedAt },
        { header: 'by', value: (r) => r.issuedBy },
        { header: 'expires', value: (r) => r.expiresAt },
        { header: 'revoked', value: (r) => (r.revokedAt === null ? null : `${r.revokedAt} by ${r.revokedBy}`) },
      ]));
    });

  leaf(key, 'revoke', 'revoke an API key; it stops working on the next request (POST /access/api-keys/:id/revoke)')
    .argument('<keyId>', 'the key id (as in `mgov auth key list`), not the token', keyId)
    .option('--reason <text>', 'why, for the audit trail')
    .action(async (id: string, options: { reason?: string }, command: Command) => {
      const cli = cliOf(command);
      const revoked = await cli.api.post<Revoked>(`${keyPath(id)}/revoke`, { reason: options.reason });
      cli.out.show(revoked, (r) => recordTable(r, ['keyId', 'revoked', 'changed']));
      if (!revoked.changed && cli.out.format === 'table') cli.out.note(`key ${revoked.keyId} was already revoked`);
    });

  const principal = auth.command('principal').description('suspend a person or integration: all their API keys and identity-provider tokens (admin)');
  const principalPath = (subject: string) => `/access/principals/${encodeURIComponent(subject)}`;
  for (const [action, description] of [
    ['suspend', 'refuse every credential of a principal (an API key name or a token subject) from now on'],
    ['reinstate', 'lift a principal\'s suspension'],
  ] as const) {
    leaf(principal, action, `${description} (POST /access/principals/:subject/${action})`)
      .argument('<subject>', 'the principal: an API key\'s name or a JWT\'s subject')
      .requiredOption('--reason <text>', 'why, for the audit trail')
      .action(async (subject: string, options: { reason: string }, command: Command) => {
        const cli = cliOf(command);
        const result = await cli.api.post<{ subject: string; suspended: boolean; changed: boolean }>(`${principalPath(subject)}/${action}`, { reason: options.reason });
        cli.out.show(result, (r) => recordTable(r, ['subject', 'suspended', 'changed']));
      });
  }
  leaf(principal, 'suspended', 'list suspended principals (GET /access/principals/suspended)')
    .action(async (_options: object, command: Command) => {
      const cli = cliOf(command);
      cli.out.show(await cli.api.get<Array<{ subject: string; reason: string }>>('/access/principals/suspended'), (rows) => listTable(rows, [
        { header: 'subject', value: (r) => r.subject }, { header: 'reason', value: (r) => r.reason },
      ]));
    });
}

/** `--role a b --role c,d`, each a role MGov knows. */
function collectRoles(value: string, previous: string[] | undefined): string[] {
  const roles = commaList(value);
  const unknown = roles.find((role) => !isRole(role));
  if (unknown !== undefined) throw new InvalidArgumentError(`${unknown} is not a role; choose from ${ROLES.join(', ')}`);
  return [...(previous ?? []), ...roles];
}

function isoInstant(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('give an ISO 8601 time such as 2031-01-31T00:00:00Z');
  }
  return value;
}

function keyId(value: string): string {
  if (looksLikeApiKey(value)) throw new InvalidArgumentError('give the key id (see `mgov auth key list`), not the token');
  if (!KEY_ID_PATTERN.test(value)) throw new InvalidArgumentError('a key id is 4–32 lower-case letters and digits');
  return value;
}
