/** A small JSON client for the demo and the end-to-end tests: bearer credentials, trace header, errors with codes. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`${status} ${code}: ${message}`);
  }
}

/** Someone holding an MGov API key (or any bearer token). */
export interface Caller {
  readonly name: string;
  readonly token: string;
}

export class MgovClient {
  constructor(
    private readonly urlOf: (service: string) => string,
    private readonly traceparent?: string,
  ) {}

  /** `caller: null` sends no credentials. */
  async call<T>(service: string, method: 'GET' | 'POST', path: string, caller: Caller | null, body?: unknown): Promise<T> {
    return this.send<T>(service, method, path, caller, body === undefined ? undefined : JSON.stringify(body), { 'content-type': 'application/json' });
  }

  /** Sends a file's bytes as the raw body (a dataset upload), with its content type. */
  async upload<T>(service: string, path: string, caller: Caller, bytes: string | Uint8Array, contentType: string, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>(service, 'POST', path, caller, bytes, { ...headers, 'content-type': contentType });
  }

  /** PUTs a file's bytes (an MLflow artifact upload). */
  async put<T>(service: string, path: string, caller: Caller, bytes: string | Uint8Array, contentType: string): Promise<T> {
    return this.send<T>(service, 'PUT', path, caller, bytes, { 'content-type': contentType });
  }

  private async send<T>(service: string, method: string, path: string, caller: Caller | null, body: string | Uint8Array | undefined, extra: Record<string, string>): Promise<T> {
    const headers: Record<string, string> = { ...extra };
    if (caller) headers.authorization = `Bearer ${caller.token}`;
    if (this.traceparent) headers.traceparent = this.traceparent;
    const response = await fetch(`${this.urlOf(service)}${path}`, { method, headers, body });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ApiError(response.status, json?.error?.code ?? 'UNKNOWN', json?.error?.message ?? text);
    return json as T;
  }

  /** Polls `probe` until it returns a value (eventual consistency between services). */
  async eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      try {
        const value = await probe();
        if (value) return value;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
