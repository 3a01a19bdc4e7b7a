import type { Finding } from '../findings/finding.js';
import type { BearerToken } from './bearer-token.js';
import { safeEndpoint } from './endpoint.js';
import { postJson } from './http-post.js';
import type { SinkTransport } from './sink-transport.js';
import { webhookPayload } from './webhook-payload.js';

export interface WebhookTarget {
  readonly url: URL;
  readonly token?: BearerToken | undefined;
  /** Reported as `node` in every payload. */
  readonly node: string;
}

/** Posts each batch as one JSON document (see WebhookPayload); any 2xx counts as delivered. */
export class WebhookTransport implements SinkTransport {
  readonly endpoint: string;

  constructor(private readonly target: WebhookTarget) {
    this.endpoint = safeEndpoint(target.url);
  }

  send(findings: readonly Finding[], signal: AbortSignal): Promise<void> {
    const { url, token, node } = this.target;
    return postJson(url, webhookPayload(findings, node, new Date()), { signal, token });
  }

  async close(): Promise<void> {
    // fetch pools its connections globally; nothing is held per sink.
  }
}
