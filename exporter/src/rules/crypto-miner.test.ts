import { describe, expect, it } from 'vitest';
import type { RuleEvent, WorkloadEvidence } from './behavioural-rule.js';
import { cryptoMiner, SHARED_POOL_PORTS, STRATUM_PORTS } from './crypto-miner.js';
import { WorkloadMemory } from './rule-evidence.js';
import { connect, dns, exec } from './test-fixtures/records.js';

/** Runs the events in order through one workload's evidence; returns the last event's hit. */
function last(...events: RuleEvent[]) {
  const evidence: WorkloadEvidence = new WorkloadMemory();
  let hit = null;
  for (const event of events) hit = cryptoMiner.evaluate(event, evidence);
  return hit;
}

describe('crypto-miner', () => {
  it.each([...STRATUM_PORTS])('pages on a connection to stratum port %i alone', (port) => {
    expect(last(connect('10.0.0.9', port))).toMatchObject({ item: `10.0.0.9:${port}`, summary: expect.stringContaining(`port ${port}`) });
  });

  it('stays quiet on a connection to 9000 alone (MinIO, php-fpm)', () => {
    expect(last(connect('10.0.0.9', 9000))).toBeNull();
  });

  it.each([...SHARED_POOL_PORTS])('stays quiet on a connection to shared port %i alone', (port) => {
    expect(last(connect('10.0.0.9', port))).toBeNull();
  });

  it('stays quiet on 9000 after lookups of ordinary names', () => {
    expect(last(dns('minio.storage.svc.cluster.local'), dns('pool.ntp.org'), connect('10.0.0.9', 9000))).toBeNull();
  });

  it('names a connection to 9000 after the workload resolved a mining-pool domain', () => {
    const evidence = new WorkloadMemory();
    expect(cryptoMiner.evaluate(dns('pool.supportxmr.com'), evidence)).toMatchObject({ item: 'pool.supportxmr.com' });
    expect(cryptoMiner.evaluate(connect('10.0.0.9', 9000), evidence)).toEqual({
      item: '10.0.0.9:9000',
      summary: expect.stringContaining('after app resolved the mining-pool domain pool.supportxmr.com'),
    });
  });

  it('names a connection to 7777 after a miner was started with a stratum URL', () => {
    const evidence = new WorkloadMemory();
    expect(cryptoMiner.evaluate(exec('/opt/x', ['x', '-o', 'stratum+tcp://10.0.0.9:7777']), evidence)).toMatchObject({ item: '/opt/x' });
    expect(cryptoMiner.evaluate(connect('10.0.0.9', 7777), evidence)).toMatchObject({
      item: '10.0.0.9:7777',
      summary: expect.stringContaining('after /opt/x was started with stratum+tcp://10.0.0.9:7777'),
    });
  });

  it('does not carry one workload’s lookup over to another workload', () => {
    const miner = new WorkloadMemory();
    const storage = new WorkloadMemory();
    cryptoMiner.evaluate(dns('xmr-eu1.nanopool.org'), miner);
    expect(cryptoMiner.evaluate(connect('10.0.0.9', 9000), storage)).toBeNull();
    expect(cryptoMiner.evaluate(connect('10.0.0.9', 9000), miner)).not.toBeNull();
  });

  it('still pages on pool lookups and stratum URLs themselves', () => {
    expect(last(dns('xmr-eu1.nanopool.org'))).toMatchObject({ item: 'xmr-eu1.nanopool.org' });
    expect(last(exec('/opt/x', ['x', '-o', 'stratum+ssl://pool.example:443']))).toMatchObject({ item: '/opt/x' });
    expect(last(dns('pool.ntp.org'))).toBeNull();
  });

  it('ignores UDP, accepts and listens on stratum ports', () => {
    expect(last(connect('10.0.0.9', 3333, 'udp'))).toBeNull();
    expect(last({ ...connect('10.0.0.9', 3333), direction: 'listen' })).toBeNull();
    expect(last({ ...connect('10.0.0.9', 3333), direction: 'accept' })).toBeNull();
  });

  it('keeps the two port lists apart and common service ports out of both', () => {
    for (const port of STRATUM_PORTS) expect(SHARED_POOL_PORTS.has(port), `port ${port}`).toBe(false);
    for (const port of [80, 443, 8080, 8443, 53, 22]) {
      expect(STRATUM_PORTS.has(port) || SHARED_POOL_PORTS.has(port), `port ${port}`).toBe(false);
    }
  });
});
