import type { NetworkObservation } from './observation.js';
import { generalizePath } from './generalize-path.js';
import { WILDCARD, truncate } from './generalize-token.js';

/**
 * Network peer generalization. A peer is rendered as
 * `<direction> <protocol> <host>:<port>`, where host is the attributed peer name when
 * known (a service stays one entry while its pods move), else the address. The
 * remote port of an accepted connection is ephemeral and becomes `*`. Unix sockets are
 * paths and generalize like paths. When one (direction, protocol, port) sees more
 * distinct hosts than the fan-out, they fold into CIDR blocks, then into `*`.
 */
export interface PeerKey {
  /** `<direction> <protocol> <port>`: hosts fan out under this. */
  readonly group: string;
  readonly host: string;
}

export function renderPeer(key: PeerKey): string {
  const [direction, protocol, port] = key.group.split(' ');
  return `${direction} ${protocol} ${key.host}:${port}`;
}

export function parsePeer(rendered: string): PeerKey {
  const match = /^(\S+) (\S+) (.*):([^:]*)$/.exec(rendered);
  if (!match) throw new Error(`not a network peer pattern: ${JSON.stringify(rendered)}`);
  return { group: `${match[1]} ${match[2]} ${match[4]}`, host: match[3] as string };
}

export function peerKey(obs: NetworkObservation, maxLength: number): PeerKey {
  const port = obs.direction === 'accept' || obs.family === 'unix' ? WILDCARD : String(obs.port);
  let host: string;
  if (obs.peerName) host = truncate(obs.peerName.toLowerCase(), maxLength).value;
  else if (obs.family === 'unix') host = '/' + generalizePath(obs.address, maxLength).segments.join('/');
  else host = truncate(obs.address.toLowerCase(), maxLength).value;
  return { group: `${obs.direction} ${obs.protocol.toLowerCase()} ${port}`, host };
}

function parseIpv4(address: string): number[] | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

/** Expands an IPv6 address into eight 16-bit groups; undefined when it is not one. */
function parseIpv6(address: string): number[] | undefined {
  if (!address.includes(':')) return undefined;
  let text = address;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const embedded = parseIpv4(text.slice(lastColon + 1));
  if (embedded) {
    tail.push(((embedded[0] as number) << 8) | (embedded[1] as number), ((embedded[2] as number) << 8) | (embedded[3] as number));
    text = text.slice(0, lastColon) + (text.slice(0, lastColon).endsWith(':') ? ':' : '');
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
    return groups.every((g) => !Number.isNaN(g)) ? groups : undefined;
  };
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...rest, ...tail];
}

/** The CIDR block holding an address, or undefined when the host is not an IP address. */
export function cidrOf(host: string, bitsV4: number, bitsV6: number): string | undefined {
  const v4 = parseIpv4(host);
  if (v4) {
    const value = v4.reduce((acc, b) => acc * 256 + b, 0);
    const size = 2 ** (32 - bitsV4);
    const base = Math.floor(value / size) * size;
    const bytes = [base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255];
    return `${bytes.join('.')}/${bitsV4}`;
  }
  const v6 = parseIpv6(host);
  if (v6) {
    const masked = v6.map((group, i) => {
      const keep = Math.max(0, Math.min(16, bitsV6 - i * 16));
      return keep === 0 ? 0 : group & (0xffff << (16 - keep)) & 0xffff;
    });
    return `${masked.map((g) => g.toString(16)).join(':')}/${bitsV6}`;
  }
  return undefined;
}
