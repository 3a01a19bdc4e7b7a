import type { Finding, Severity } from '../findings/finding.js';

/** RFC 5424 section 6.2.1 facility codes, by the names syslog.conf uses. */
export const SYSLOG_FACILITIES: Readonly<Record<string, number>> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9,
  authpriv: 10, ftp: 11, ntp: 12, security: 13, console: 14, clock: 15,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};

/** Finding severities as RFC 5424 severities: 2 Critical, 4 Warning, 6 Informational. */
const SYSLOG_SEVERITY: Readonly<Record<Severity, number>> = { critical: 2, warning: 4, info: 6 };

/**
 * 32473 is the enterprise number RFC 5612 reserves for documentation and examples; Telltale
 * has none of its own yet, and the SD-ID is configurable for sites that want their own.
 */
export const DEFAULT_SD_ID = 'telltale@32473';

export interface SyslogFormat {
  readonly facility: number;
  /** HOSTNAME field: the node's name. */
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly sdId: string;
  /** Whole message, header included; longer messages are shortened (see formatSyslogMessage). */
  readonly maxBytes: number;
}

export function syslogPriority(facility: number, severity: Severity): number {
  return facility * 8 + SYSLOG_SEVERITY[severity];
}

const ELLIPSIS = '...';
const NILVALUE = '-';
const BOM = '\uFEFF';

/**
 * Control characters become U+FFFD: a newline smuggled into a file name must not let an
 * attacker forge a second record in a line-oriented log pipeline downstream.
 */
function withoutControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
}

/** A header field: printable US-ASCII only (RFC 5424 PRINTUSASCII), bounded, '-' when empty. */
function headerField(text: string, maxLength: number): string {
  const printable = text.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return printable === '' ? NILVALUE : printable;
}

/** RFC 5424 section 6.3.3: '"', '\' and ']' MUST be escaped in PARAM-VALUE. */
export function escapeSdParamValue(value: string): string {
  return withoutControls(value).replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that does not split a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const bytes = Buffer.from(text);
  let end = Math.max(0, maxBytes);
  // A continuation byte (10xxxxxx) at the cut means a character straddles it: cut before that character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

function workloadDisplay(finding: Finding): string {
  const { namespace, workload, container } = finding.workload;
  const name = namespace ? `${namespace}/${workload}` : workload;
  return container ? `${name}, container ${container}` : name;
}

type Param = [name: string, value: string];

function sdParams(finding: Finding): Param[] {
  const { workload: w, process: p } = finding;
  const params: Param[] = [
    ['kind', finding.kind],
    ...(finding.kind === 'rule' ? ([['rule', finding.rule]] as Param[]) : []),
    ['category', finding.category],
    ['severity', finding.severity],
    ['namespace', w.namespace],
    ['workload', w.workload],
    ['workload_type', w.workloadType],
    ['container', w.container],
    ['item', finding.item],
    ...(Number.isFinite(finding.score) ? ([['score', finding.score.toFixed(3)]] as Param[]) : []),
    ['pid', String(p.pid)],
    ['ppid', String(p.ppid)],
    ['uid', String(p.uid)],
    ['comm', p.comm],
    ['exe', p.exe],
  ];
  return params;
}

/** The values that may be shortened to fit a size bound; the rest are short by nature. */
const SHRINKABLE = new Set(['item', 'exe', 'workload', 'namespace', 'container', 'comm', 'rule']);

function structuredData(sdId: string, params: readonly Param[]): string {
  return `[${sdId}${params.map(([name, value]) => ` ${name}="${escapeSdParamValue(value)}"`).join('')}]`;
}

function assemble(header: string, sd: string, msg: string): string {
  if (msg === '') return `${header} ${sd}`;
  // RFC 5424 6.4: a UTF-8 MSG starts with a BOM; plain ASCII is valid without one.
  const body = /[^\x00-\x7f]/.test(msg) ? `${BOM}${msg}` : msg;
  return `${header} ${sd} ${body}`;
}

/**
 * One finding as an RFC 5424 message:
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID params...] MSG`, where MSGID is the
 * rule id (or `anomaly-<category>`), the structured data carries the workload labels and the
 * finding's fields, and MSG is one readable line.
 *
 * Over `maxBytes`, the MSG is shortened first, then the longest free-text SD values, then the
 * SD is dropped, and only then is the message cut; shortened text ends in "...".
 */
export function formatSyslogMessage(finding: Finding, format: SyslogFormat): Buffer {
  const msgId = finding.kind === 'rule' ? finding.rule : `anomaly-${finding.category}`;
  const header = [
    `<${syslogPriority(format.facility, finding.severity)}>1`,
    finding.observedAt.toISOString(),
    headerField(format.hostname, 255),
    headerField(format.appName, 48),
    headerField(format.procId, 128),
    headerField(msgId, 32),
  ].join(' ');
  const sdId = headerField(format.sdId, 32);
  const params = sdParams(finding);
  let msg = withoutControls(`${finding.summary} (workload ${workloadDisplay(finding)}; item ${finding.item})`);
  let sd = structuredData(sdId, params);
  let text = assemble(header, sd, msg);
  let over = Buffer.byteLength(text) - format.maxBytes;

  if (over > 0 && msg !== '') {
    const keep = Buffer.byteLength(msg) - over - ELLIPSIS.length;
    msg = keep > 0 ? truncateUtf8(msg, keep) + ELLIPSIS : '';
    text = assemble(header, sd, msg);
    over = Buffer.byteLength(text) - format.maxBytes;
  }
  while (over > 0) {
    const longest = params
      .filter(([name]) => SHRINKABLE.has(name))
      .reduce<Param | undefined>((best, p) => (best && Buffer.byteLength(best[1]) >= Buffer.byteLength(p[1]) ? best : p), undefined);
    const length = longest ? Buffer.byteLength(longest[1]) : 0;
    if (!longest || length <= ELLIPSIS.length) break;
    longest[1] = truncateUtf8(longest[1], Math.max(0, length - over - ELLIPSIS.length)) + ELLIPSIS;
    sd = structuredData(sdId, params);
    text = assemble(header, sd, msg);
    over = Buffer.byteLength(text) - format.maxBytes;
  }
  if (over > 0) text = assemble(header, NILVALUE, msg);
  return Buffer.from(truncateUtf8(text, format.maxBytes));
}

/** RFC 6587 section 3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, safe for any content. */
export function frameOctetCounted(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `), message]);
}
