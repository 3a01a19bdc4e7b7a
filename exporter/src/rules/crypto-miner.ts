import type { BehaviouralRule } from './behavioural-rule.js';

/** Stratum ports the big pools publish; common service ports (80, 443, 8080) are deliberately absent. */
export const MINING_POOL_PORTS = new Set([3333, 3334, 3357, 4444, 5555, 7777, 9000, 14433, 14444, 17777, 20580, 45560, 45700]);

const MINING_DOMAINS: readonly RegExp[] = [
  /(?:^|\.)(?:nanopool\.org|minexmr\.com|supportxmr\.com|moneroocean\.stream|hashvault\.pro|2miners\.com|f2pool\.com|nicehash\.com|minergate\.com|ethermine\.org|c3pool\.com|herominers\.com|unmineable\.com|xmrpool\.eu|viabtc\.com|antpool\.com|slushpool\.com|dwarfpool\.com|mining-dutch\.nl|zpool\.ca|zergpool\.com|prohashing\.com)$/,
  /(?:^|[.-])(?:xmr|monero|stratum)(?:[.-]|\d)/,
];

export function isMiningDomain(name: string): boolean {
  return MINING_DOMAINS.some((p) => p.test(name));
}

/** Connections to mining-pool ports, lookups of mining-pool domains, and stratum URLs on a command line. */
export const cryptoMiner: BehaviouralRule = {
  id: 'crypto-miner',
  severity: 'critical',
  category: 'network',
  description: 'Connecting to a mining-pool port, resolving a mining-pool domain, or running with a stratum URL',
  evaluate(event) {
    if (event.kind === 'network' && event.direction === 'connect' && event.protocol === 'tcp' && MINING_POOL_PORTS.has(event.port)) {
      const peer = `${event.address}:${event.port}`;
      return { item: peer, summary: `Connection to mining-pool port ${event.port} (${peer}) by ${event.process.comm}` };
    }
    if (event.kind === 'dns' && isMiningDomain(event.name)) {
      return { item: event.name, summary: `Mining-pool domain resolved by ${event.process.comm}: ${event.name}` };
    }
    if (event.kind === 'exec') {
      const stratum = event.argv.find((a) => /stratum\+(?:tcp|ssl|tls):\/\//i.test(a));
      if (stratum) return { item: event.exe, summary: `Miner started: ${event.exe} with ${stratum}` };
    }
    return null;
  },
};
