import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

export const RSYSLOGD_BINARY = '/usr/sbin/rsyslogd';

/** One message as rsyslog's own RFC 5424 parser split it: its property names, as the template writes them. */
export interface RsyslogRecord {
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
  /** The STRUCTURED-DATA field as rsyslog extracted it, escapes included. */
  readonly structuredData: string;
  readonly msg: string;
  readonly severity: string;
  readonly facility: string;
  readonly protocolVersion: string;
  readonly timeReported: string;
  /** imudp or imtcp. */
  readonly inputName: string;
}

export interface Rsyslogd {
  readonly udpPort: number;
  readonly tcpPort: number;
  /** Records written so far, probes left out. */
  records(): Promise<RsyslogRecord[]>;
  stop(): Promise<void>;
}

// A list template with JSON-escaped fields: one JSON object per line, whatever the message holds.
const FIELDS: ReadonlyArray<[outname: keyof RsyslogRecord, property: string, extra?: string]> = [
  ['hostname', 'hostname'],
  ['appName', 'app-name'],
  ['procId', 'procid'],
  ['msgId', 'msgid'],
  ['structuredData', 'structured-data'],
  ['msg', 'msg'],
  ['severity', 'syslogseverity'],
  ['facility', 'syslogfacility'],
  ['protocolVersion', 'protocol-version'],
  ['timeReported', 'timereported', 'dateFormat="rfc3339"'],
  ['inputName', 'inputname'],
];

/**
 * Everything in `dir`: no imuxsock or imklog (the host's /dev/log and kernel log stay
 * untouched), its own work directory and pid file, inputs on loopback only, and one ruleset
 * that writes what the inputs receive to `out.jsonl`.
 */
function configText(dir: string, udpPort: number, tcpPort: number): string {
  const properties = FIELDS.map(([outname, name, extra]) => `  property(outname="${outname}" name="${name}" format="jsonf"${extra ? ` ${extra}` : ''})`);
  return `global(workDirectory="${dir}")
module(load="imudp")
module(load="imtcp")
template(name="fields" type="list" option.jsonf="on") {
${properties.join('\n')}
}
ruleset(name="telltale-test") {
  action(type="omfile" file="${join(dir, 'out.jsonl')}" template="fields")
}
input(type="imudp" address="127.0.0.1" port="${udpPort}" ruleset="telltale-test")
input(type="imtcp" address="127.0.0.1" port="${tcpPort}" ruleset="telltale-test")
`;
}

async function freePort(kind: 'udp' | 'tcp'): Promise<number> {
  if (kind === 'tcp') {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const PROBE_MSGID = 'probe';

function probeMessage(input: string): Buffer {
  return Buffer.from(`<14>1 2026-01-01T00:00:00Z probe probe - ${PROBE_MSGID} - ${input}`);
}

/** Sends one probe per input; rsyslog binds its listeners after start, so callers repeat this until both arrive. */
async function sendProbes(udpPort: number, tcpPort: number): Promise<void> {
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.send(probeMessage('imudp'), udpPort, '127.0.0.1', () => resolve()));
  udp.close();
  await new Promise<void>((resolve) => {
    const socket = connect(tcpPort, '127.0.0.1', () => {
      const message = probeMessage('imtcp');
      socket.end(Buffer.concat([Buffer.from(`${message.length} `), message]), () => resolve());
    });
    socket.on('error', () => resolve());
  });
}

async function readRecords(path: string): Promise<RsyslogRecord[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RsyslogRecord);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Starts a real rsyslogd in the foreground (-n) with a private config (-f) and pid file (-i),
 * listening on free loopback UDP and TCP ports, and waits until a probe sent to each input has
 * come out the other end. A port taken between choosing and binding (rsyslog then runs without
 * that input) shows up as a missing probe, and the start is tried again on other ports.
 */
export async function startRsyslogd(): Promise<Rsyslogd> {
  if (!existsSync(RSYSLOGD_BINARY)) throw new Error(`${RSYSLOGD_BINARY} not found: scripts/setup.sh installs the rsyslog package`);
  const dir = await mkdtemp(join(tmpdir(), 'telltale-rsyslogd-'));
  const out = join(dir, 'out.jsonl');
  for (let attempt = 1; ; attempt++) {
    const [udpPort, tcpPort] = [await freePort('udp'), await freePort('tcp')];
    // A failed attempt may have written one probe; only this attempt's output counts.
    await rm(out, { force: true });
    const configPath = join(dir, 'rsyslog.conf');
    await writeFile(configPath, configText(dir, udpPort, tcpPort));
    const child = spawn(RSYSLOGD_BINARY, ['-n', '-f', configPath, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`rsyslogd exited with ${child.exitCode}: ${output.slice(-1000)}`);
          await sendProbes(udpPort, tcpPort);
          const inputs = new Set((await readRecords(out)).filter((r) => r.msgId === PROBE_MSGID).map((r) => r.inputName));
          return inputs.has('imudp') && inputs.has('imtcp');
        },
        'rsyslogd to receive a probe on UDP and on TCP',
        { timeoutMs: 15_000, intervalMs: 100 },
      );
    } catch (error) {
      await stopChild(child);
      if (attempt < 3) continue;
      await rm(dir, { recursive: true, force: true });
      throw new Error(`${error instanceof Error ? error.message : String(error)}; rsyslogd said: ${output.slice(-1000)}`);
    }
    return {
      udpPort,
      tcpPort,
      records: async () => (await readRecords(out)).filter((record) => record.msgId !== PROBE_MSGID),
      stop: async () => {
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
