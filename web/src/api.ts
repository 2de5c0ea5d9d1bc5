/**
 * The one way pages talk to the server: paths relative to /api/v1, cookies sent, the session's CSRF
 * token on every change, failures thrown as ApiError with the server's code and message.
 */
export interface ApiIssue {
  path?: string;
  row?: number;
  field?: string;
  message: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ApiIssue[],
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | undefined>;

let csrfToken: string | null = null;
let language = 'zh-CN';
const unauthorizedListeners = new Set<() => void>();

/** The session sets it after sign-in and on /auth/me. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
/** i18n sets it so the server may answer in the user's language. */
export function setApiLanguage(locale: string): void {
  language = locale;
}
/** Called when the server says the caller is not signed in (a session that expired). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return `/api/v1${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
}

function pickMessage(
  body: unknown,
  status: number,
): { code: string; message: string; issues?: ApiIssue[]; details?: unknown } {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error) return { code: status >= 500 ? 'INTERNAL' : 'HTTP_' + status, message: `HTTP ${status}` };
  const zh = language === 'zh-CN' ? (error.messageZh ?? error.message_zh) : undefined;
  const details = error.details as Record<string, unknown> | undefined;
  const issues = (error.issues ?? details?.issues ?? details?.problems) as ApiIssue[] | undefined;
  return {
    code: String(error.code ?? 'ERROR'),
    message: String(zh ?? error.message ?? `HTTP ${status}`),
    ...(Array.isArray(issues) && { issues }),
    details,
  };
}

async function request<T>(
  method: string,
  path: string,
  init: { query?: Query; body?: BodyInit; json?: boolean },
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (init.json) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, init.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(init.body !== undefined && { body: init.body }),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const body: unknown = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    const m = pickMessage(body, response.status);
    if (response.status === 401) for (const l of unauthorizedListeners) l();
    throw new ApiError(response.status, m.code, m.message, m.issues, m.details);
  }
  return body as T;
}

export const api = {
  get<T>(path: string, query?: Query): Promise<T> {
    return request<T>('GET', path, query ? { query } : {});
  },
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return request<T>(method, path, body === undefined ? {} : { body: JSON.stringify(body), json: true });
  },
  upload<T>(path: string, file: File, fields?: Record<string, string>): Promise<T> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields ?? {})) form.append(k, v);
    form.append('file', file, file.name);
    return request<T>('POST', path, { body: form });
  },
};
