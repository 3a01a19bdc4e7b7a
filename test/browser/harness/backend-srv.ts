/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';
import { from, lastValueFrom, type Observable } from 'rxjs';

/**
 * Grafana's backend service for the harness: the same request and error shapes as Grafana's
 * (FetchResponse, FetchError), over the browser's fetch to the harness server, which stands
 * in for Grafana's HTTP API (data source proxy, plugin proxy, plugin settings).
 */
export function createBackendSrv(): BackendSrv {
  const fetchObservable = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(send<T>(options));
  const request = async <T>(options: BackendSrvRequest): Promise<T> => (await lastValueFrom(fetchObservable<T>(options))).data;
  return {
    fetch: fetchObservable,
    request,
    datasourceRequest: <T>(options: BackendSrvRequest) => lastValueFrom(fetchObservable<T>(options)),
    get: <T>(url: string, params?: Record<string, unknown>, _requestId?: string, options?: Partial<BackendSrvRequest>) =>
      request<T>({ ...options, url, params, method: 'GET' }),
    delete: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) => request<T>({ ...options, url, data, method: 'DELETE' }),
    post: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) => request<T>({ ...options, url, data, method: 'POST' }),
    patch: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) => request<T>({ ...options, url, data, method: 'PATCH' }),
    put: <T>(url: string, data?: unknown, options?: Partial<BackendSrvRequest>) => request<T>({ ...options, url, data, method: 'PUT' }),
    chunked: () => {
      throw new Error('chunked requests are not used by the app');
    },
  };
}

/** Grafana's query string rules: arrays repeat the key, undefined values are left out. */
export function withParams(url: string, params: BackendSrvRequest['params']): string {
  if (!params) return url;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, String(v));
  }
  const query = search.toString();
  return query === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

async function send<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers as Record<string, string> | undefined) };
  let body: string | undefined;
  if (options.data !== undefined && method !== 'GET') {
    body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data);
    headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
  }
  const response = await fetch(withParams(options.url, options.params), { method, headers, body, signal: options.abortSignal });
  const text = await response.text();
  let data: unknown = text;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: keep the text, as Grafana does.
  }
  if (!response.ok) {
    const error: FetchError = { status: response.status, statusText: response.statusText, data, config: options };
    throw error;
  }
  return {
    data: data as T,
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    redirected: response.redirected,
    type: response.type,
    url: response.url,
    config: options,
  };
}
