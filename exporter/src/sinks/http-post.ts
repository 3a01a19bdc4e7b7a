import type { BearerToken } from './bearer-token.js';
import { DeliveryError } from './delivery-error.js';
import { safeEndpoint } from './endpoint.js';

const USER_AGENT = 'telltale-exporter';
/** How much of a receiver's error body goes into the error message. */
const ERROR_BODY_CHARS = 300;

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** 408, 429 and 5xx may pass; any other refusal would be refused again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs `body` as JSON; resolves on 2xx and throws a DeliveryError otherwise. Redirects are not
 * followed: a POST turned into a GET, or a token carried to another host, is worse than an error.
 */
export async function postJson(
  url: URL,
  body: unknown,
  options: { readonly signal: AbortSignal; readonly token?: BearerToken | undefined },
): Promise<void> {
  const endpoint = safeEndpoint(url);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': USER_AGENT,
  };
  if (options.token) headers.authorization = `Bearer ${await options.token.value()}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: options.signal,
      redirect: 'manual',
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = code ?? (cause instanceof Error ? cause.message : String(cause));
    throw new DeliveryError(`${endpoint}: ${reason}`, true);
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, ERROR_BODY_CHARS);
  const detail = options.token ? options.token.redact(snippet) : snippet;
  const status = `${endpoint} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`;
  if (response.status >= 300 && response.status < 400) {
    throw new DeliveryError(`${status} (redirects are not followed; configure the final URL)`, false);
  }
  throw new DeliveryError(
    status,
    isRetryableStatus(response.status),
    parseRetryAfterMs(response.headers.get('retry-after')),
  );
}
