import { ConfigError } from './cli-flag.js';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** `host:port`, `:port` (all interfaces) or `[v6]:port`. */
export function parseListenAddress(text: string, source: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${source} ${JSON.stringify(text)}: expected host:port, :port or [v6]:port`);
  }
  const host = match[1] ?? (match[2] === '' || match[2] === undefined ? '0.0.0.0' : match[2]);
  return { host, port };
}
