import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { isRecord } from './json.js';

export type QueryParams = Record<string, string | number | string[] | undefined>;

/**
 * GET through Grafana's backend service, so requests carry the session, go through the data
 * source and plugin proxies, and show in the query inspector. Errors come back as one Error
 * whose message names the URL and carries the server's own message.
 */
export async function fetchJson(url: string, params: QueryParams = {}): Promise<unknown> {
  const cleanParams: Record<string, string | number | string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      cleanParams[key] = value;
    }
  }
  try {
    const response = await lastValueFrom(
      getBackendSrv().fetch<unknown>({ url, method: 'GET', params: cleanParams, showErrorAlert: false }),
    );
    return response.data;
  } catch (error: unknown) {
    throw new Error(`GET ${url} failed: ${describeFetchError(error)}`);
  }
}

/** The most useful line from a failed request: Prometheus and the exporter both send JSON errors. */
export function describeFetchError(error: unknown): string {
  if (isFetchError(error)) {
    const data: unknown = error.data;
    const serverMessage = isRecord(data)
      ? firstString(data['error'], data['message'])
      : typeof data === 'string' && data.trim() !== ''
        ? data.trim()
        : undefined;
    const status = error.status ? `${error.status}${error.statusText ? ` ${error.statusText}` : ''}` : 'no response';
    return serverMessage ? `${status}: ${serverMessage}` : status;
  }
  return error instanceof Error ? error.message : String(error);
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}
