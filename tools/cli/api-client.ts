import { ApiError, UnreachableError } from './failures';

/** Who is calling: an API key or a JWT, sent as `Authorization: Bearer <token>`. */
export interface Caller {
  readonly token?: string;
}

/** Query parameters; a list repeats its name (`?source=a&source=b`). */
export type Query = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A raw request body streamed from disk (a dataset file), with what to tell the server about it. */
export interface Upload {
  readonly content: AsyncIterable<Uint8Array>;
  readonly contentType: string;
}

interface Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  /** Sent as the raw body, streamed, instead of `body` as JSON. */
  readonly upload?: Upload;
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

  /** POST with a streamed raw body (`duplex: 'half'`); the answer is JSON, as for post. */
  postRaw<T>(path: string, query: Query, upload: Upload): Promise<T> {
    return this.send<T>({ method: 'POST', path, query, upload });
  }

  /** A 2xx body as text (Markdown, HTML), for routes that answer something other than JSON. */
  async getText(path: string, query?: Query): Promise<string> {
    const request: Request = { method: 'GET', path, query };
    const response = await this.exchange(request, '*/*');
    const text = await this.read(response);
    if (!response.ok) throw failure(request, response.status, text);
    return text;
  }

  /** A 2xx response whose body the caller streams (export); an error status is read and thrown as ApiError. */
  async stream(path: string, query?: Query): Promise<Response> {
    const request: Request = { method: 'GET', path, query };
    const response = await this.exchange(request, '*/*');
    if (!response.ok) throw failure(request, response.status, await this.read(response));
    return response;
  }

  private async send<T>(request: Request): Promise<T> {
    const response = await this.exchange(request, 'application/json');
    const { status } = response;
    const text = await this.read(response);
    const json = parseJson(text);
    if ((status >= 200 && status < 300) || request.answers?.includes(status)) {
      if (json === undefined && text.trim() !== '') {
        throw new ApiError(status, 'CLI.UNEXPECTED_RESPONSE', `${request.method} ${request.path} answered ${status} with a body that is not JSON; is --url pointing at MGov?`);
      }
      return json as T;
    }
    throw failure(request, status, text);
  }

  private async exchange(request: Request, accept: string): Promise<Response> {
    const url = this.baseUrl + request.path + queryString(request.query);
    const headers: Record<string, string> = { accept };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.upload !== undefined) headers['content-type'] = request.upload.contentType;
    if (this.caller.token) headers.authorization = `Bearer ${this.caller.token}`;
    // Node's fetch streams an async iterable body when told the request is half duplex (the DOM types know neither).
    const body = request.upload !== undefined
      ? { body: request.upload.content as unknown, duplex: 'half' }
      : { body: request.body === undefined ? undefined : JSON.stringify(request.body) };
    try {
      return await fetch(url, { method: request.method, headers, ...body } as RequestInit);
    } catch (error) {
      throw new UnreachableError(this.baseUrl, reasonOf(error));
    }
  }

  private async read(response: Response): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw new UnreachableError(this.baseUrl, reasonOf(error));
    }
  }
}

/** `{error: {code, message}}` as ApiError; anything else with the status and the start of the body. */
function failure(request: Request, status: number, text: string): ApiError {
  const error = (parseJson(text) as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return new ApiError(
    status,
    typeof error?.code === 'string' ? error.code : `HTTP.${status}`,
    typeof error?.message === 'string' ? error.message : `${request.method} ${request.path} answered ${status}: ${text.trim().slice(0, 200) || 'no body'}`,
  );
}

function queryString(query: Query | undefined): string {
  const pairs = Object.entries(query ?? {}).flatMap(([key, value]): [string, string][] => {
    if (value === undefined) return [];
    return typeof value === 'string' ? [[key, value]] : value.map((item): [string, string] => [key, item]);
  });
  return pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`;
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
