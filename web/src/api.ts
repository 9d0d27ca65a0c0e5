// The HTTP client for the Malchin API (/api/v1). The session is an HttpOnly
// cookie set by POST /api/v1/session, so no token is kept in JavaScript.
//
// Every failure becomes an ApiError with the server's stable error code
// ({"error":{"code","message","field"}}), the HTTP status, and for 412 the
// server's current version of the record ("current_version" and the ETag),
// so pages can show the conflict plainly.
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'CONFLICT'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'DATA_LOSS'
  | 'INTERNAL'
  | 'NETWORK';

const knownCodes: readonly string[] = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'FAILED_PRECONDITION',
  'CONFLICT',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'RESOURCE_EXHAUSTED',
  'UNAVAILABLE',
  'DATA_LOSS',
  'INTERNAL',
];

// The code a status implies when the body carries none (proxies, 404 pages).
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ALREADY_EXISTS';
    case 412:
      return 'CONFLICT';
    case 413:
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 502:
    case 503:
    case 504:
      return 'UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
  }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail: string,
    readonly field: string | null,
    readonly retryAfterSeconds: number | null = null,
    // For 412: the version the server has now, and its ETag.
    readonly currentVersion: number | null = null,
    readonly currentEtag: string | null = null,
  ) {
    super(`${code}: ${detail}`);
  }
}

// Builds the ApiError for a failed response from its status, headers and
// body text. Never throws: a body that is not the documented JSON still
// yields an error with a code derived from the status.
export function errorFromResponse(
  status: number,
  headers: { get(name: string): string | null },
  bodyText: string,
): ApiError {
  let code: ErrorCode = codeForStatus(status);
  let detail = '';
  let field: string | null = null;
  let currentVersion: number | null = null;
  try {
    const body = JSON.parse(bodyText) as Record<string, unknown>;
    const err = body?.error as Record<string, unknown> | undefined;
    if (err && typeof err === 'object') {
      if (typeof err.code === 'string' && knownCodes.includes(err.code)) code = err.code as ErrorCode;
      if (typeof err.message === 'string') detail = err.message;
      if (typeof err.field === 'string' && err.field) field = err.field;
    }
    if (typeof body?.current_version === 'number') currentVersion = body.current_version;
  } catch {
    detail = bodyText.slice(0, 200);
  }
  const ra = headers.get('Retry-After');
  const retry = ra !== null && /^\d+$/.test(ra) ? Number(ra) : null;
  return new ApiError(status, code, detail, field, retry, currentVersion, headers.get('ETag'));
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  rawBody?: BodyInit;
  contentType?: string;
  ifMatch?: string;
  // Sent as Idempotency-Key: the same key on a retry records nothing twice.
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
  status: number;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiClient {
  // Called on every 401 so the app can return to the login page.
  onUnauthenticated: (() => void) | null = null;

  constructor(private readonly fetchFn: Fetch = (i, init) => fetch(i, init)) {}

  async request<T>(path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: BodyInit | undefined;
    if (opts.rawBody !== undefined) {
      body = opts.rawBody;
      if (opts.contentType) headers['Content-Type'] = opts.contentType;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
    if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    let res: Response;
    try {
      res = await this.fetchFn(path, {
        method: opts.method ?? 'GET',
        headers,
        body,
        credentials: 'same-origin',
        signal: opts.signal,
      });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new ApiError(0, 'NETWORK', String((e as Error)?.message ?? e), null);
    }
    const text = await res.text();
    if (!res.ok) {
      const err = errorFromResponse(res.status, res.headers, text);
      if (res.status === 401 && this.onUnauthenticated) this.onUnauthenticated();
      throw err;
    }
    let data: unknown = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    return { data: data as T, etag: res.headers.get('ETag'), status: res.status };
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>(path, { signal })).data;
  }
}

// "/api/v1/households" + {soum: 18140, q: "Бат", page: 2} -> a URL whose
// query skips empty values.
export function withQuery(path: string, params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
