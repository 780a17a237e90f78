import { ApiError, UnreachableError } from './failures';

/** Who is calling: an API key or a JWT, sent as `Authorization: Bearer <token>`. */
export interface Caller {
  readonly token?: string;
}

export type Query = Readonly<Record<string, string | undefined>>;

interface Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  /** Non-2xx statuses whose JSON body is an answer rather than an error (e.g. 503 from /health). */
  readonly answers?: readonly number[];
}

/** The JSON client of every command: bearer token in, `{error: {code, message}}` out as ApiError. */
export class MgovApi {
  private readonly baseUrl: string;

  constructor(baseUrl: string, private readonly caller: Caller) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  get<T>(path: string, query?: Query, answers?: readonly number[]): Promise<T> {
    return this.send<T>({ method: 'GET', path, query, answers });
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.send<T>({ method: 'POST', path, body });
  }

  private async send<T>(request: Request): Promise<T> {
    const url = this.baseUrl + request.path + queryString(request.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (this.caller.token) headers.authorization = `Bearer ${this.caller.token}`;
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, { method: request.method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new UnreachableError(this.baseUrl, reasonOf(error));
    }
    const json = parseJson(text);
    if ((status >= 200 && status < 300) || request.answers?.includes(status)) {
      if (json === undefined && text.trim() !== '') {
        throw new ApiError(status, 'CLI.UNEXPECTED_RESPONSE', `${request.method} ${request.path} answered ${status} with a body that is not JSON; is --url pointing at MGov?`);
      }
      return json as T;
    }
    const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new ApiError(
      status,
      typeof error?.code === 'string' ? error.code : `HTTP.${status}`,
      typeof error?.message === 'string' ? error.message : `${request.method} ${request.path} answered ${status}: ${text.trim().slice(0, 200) || 'no body'}`,
    );
  }
}

function queryString(query: Query | undefined): string {
  const defined = Object.entries(query ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return defined.length === 0 ? '' : `?${new URLSearchParams(defined).toString()}`;
}

function parseJson(text: string): unknown {
  try {
    return text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** fetch hides the socket error in `cause` (an AggregateError with only a code when localhost has two addresses). */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  return (error as Error).message;
}
