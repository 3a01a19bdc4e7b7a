/**
 * A URL reduced to scheme, host and port, for logs and error messages. Paths and queries are
 * left out because receivers such as chat webhooks put their secret there, and user info is
 * left out for the same reason.
 */
export function safeEndpoint(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** `scheme://host:port`, with an IPv6 host in brackets. */
export function hostPortEndpoint(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
