import type { BehaviouralRule } from './behavioural-rule.js';

/**
 * Ports that page on their own: stratum is about all that uses them, so a connection
 * to one is a miner far more often than anything else.
 * - 3333: the de-facto stratum default (XMRig's sample config, the entry port of most
 *   Monero and Ethash pools). The only other listener of note, OpenOCD's GDB server,
 *   is a developer's tool, not a workload.
 * - 14433, 14444: nanopool's Monero stratum (TLS and plain).
 * - 45560, 45700: MinerGate's stratum; Kubescape's crypto-miner rules page on 3333
 *   and 45700 alone, too.
 * Common service ports (80, 443, 8080) are deliberately absent from both lists.
 */
export const STRATUM_PORTS: ReadonlySet<number> = new Set([3333, 14433, 14444, 45560, 45700]);

/**
 * Ports pools publish that are not theirs alone, so a connection to one pages only
 * after a second signal from the same workload (a pool name resolved, or a stratum
 * URL on a command line):
 * - 4444: Selenium Grid's hub, OpenOCD's telnet port, I2P's HTTP proxy.
 * - 5555: adb over TCP (Android emulators in CI).
 * - 7777: Oracle HTTP Server and many game servers.
 * - 9000: MinIO, php-fpm, SonarQube, Portainer, ClickHouse's native protocol.
 * - 3334, 3357, 17777, 20580: alternates some pools list, without a pool or a service
 *   they can be tied to firmly enough to page on the port alone.
 */
export const SHARED_POOL_PORTS: ReadonlySet<number> = new Set([3334, 3357, 4444, 5555, 7777, 9000, 17777, 20580]);

/** Evidence keys: what this rule remembers of a workload for a connection to a shared port. */
const POOL_NAME = 'crypto-miner/pool-name';
const STRATUM_URL = 'crypto-miner/stratum-url';

const MINING_DOMAINS: readonly RegExp[] = [
  /(?:^|\.)(?:nanopool\.org|minexmr\.com|supportxmr\.com|moneroocean\.stream|hashvault\.pro|2miners\.com|f2pool\.com|nicehash\.com|minergate\.com|ethermine\.org|c3pool\.com|herominers\.com|unmineable\.com|xmrpool\.eu|viabtc\.com|antpool\.com|slushpool\.com|dwarfpool\.com|mining-dutch\.nl|zpool\.ca|zergpool\.com|prohashing\.com)$/,
  /(?:^|[.-])(?:xmr|monero|stratum)(?:[.-]|\d)/,
];

const STRATUM = /stratum\+(?:tcp|ssl|tls):\/\//i;

export function isMiningDomain(name: string): boolean {
  return MINING_DOMAINS.some((p) => p.test(name));
}

/**
 * Connections to stratum ports, lookups of mining-pool domains, and stratum URLs on a
 * command line. A lookup or a stratum URL is also remembered for the workload, so a
 * later connection to a port pools share with ordinary services is named too.
 */
export const cryptoMiner: BehaviouralRule = {
  id: 'crypto-miner',
  severity: 'critical',
  category: 'network',
  description:
    'Connecting to a stratum port, resolving a mining-pool domain, running with a stratum URL, or, after one of the last two, connecting to a port pools share with ordinary services',
  evaluate(event, evidence) {
    if (event.kind === 'network' && event.direction === 'connect' && event.protocol === 'tcp') {
      const peer = `${event.address}:${event.port}`;
      if (STRATUM_PORTS.has(event.port)) {
        return { item: peer, summary: `Connection to mining-pool port ${event.port} (${peer}) by ${event.process.comm}` };
      }
      if (SHARED_POOL_PORTS.has(event.port)) {
        const why = evidence.recall(POOL_NAME) ?? evidence.recall(STRATUM_URL);
        if (why === undefined) return null;
        return { item: peer, summary: `Connection to ${peer} by ${event.process.comm} on port ${event.port}, which mining pools also use, after ${why}` };
      }
      return null;
    }
    if (event.kind === 'dns' && isMiningDomain(event.name)) {
      evidence.note(POOL_NAME, `${event.process.comm} resolved the mining-pool domain ${event.name}`);
      return { item: event.name, summary: `Mining-pool domain resolved by ${event.process.comm}: ${event.name}` };
    }
    if (event.kind === 'exec') {
      const stratum = event.argv.find((a) => STRATUM.test(a));
      if (stratum === undefined) return null;
      evidence.note(STRATUM_URL, `${event.exe} was started with ${stratum}`);
      return { item: event.exe, summary: `Miner started: ${event.exe} with ${stratum}` };
    }
    return null;
  },
};
