import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SD_ID,
  SYSLOG_FACILITIES,
  escapeSdParamValue,
  formatSyslogMessage,
  frameOctetCounted,
  syslogPriority,
  truncateUtf8,
} from './syslog-message.js';
import { testSyslogFormat } from './test-fixtures/syslog-format.js';
import { parseRfc5424, splitOctetCounted } from './test-fixtures/rfc5424-parser.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';

const format = testSyslogFormat();

describe('RFC 5424 formatting', () => {
  it('computes PRI from facility and severity', () => {
    expect(syslogPriority(16, 'critical')).toBe(130);
    expect(syslogPriority(16, 'warning')).toBe(132);
    expect(syslogPriority(16, 'info')).toBe(134);
    expect(syslogPriority(SYSLOG_FACILITIES.authpriv ?? -1, 'critical')).toBe(82);
    expect(syslogPriority(0, 'critical')).toBe(2);
  });

  it('escapes exactly ", \\ and ] in SD-PARAM values, and neutralises control characters', () => {
    expect(escapeSdParamValue('a"b\\c]d[e=f')).toBe('a\\"b\\\\c\\]d[e=f');
    expect(escapeSdParamValue('line1\nline2\r\u0000\u007f')).toBe('line1\uFFFDline2\uFFFD\uFFFD\uFFFD');
    expect(escapeSdParamValue('ünïcödé')).toBe('ünïcödé');
  });

  it('formats a rule hit exactly', () => {
    const message = formatSyslogMessage(sampleFinding(), format).toString('utf8');
    expect(message).toBe(
      '<132>1 2026-11-28T10:00:00.000Z node-a telltale 77 exec-from-temp ' +
        '[telltale@32473 kind="rule" rule="exec-from-temp" category="exec" severity="warning" namespace="shop" ' +
        'workload="checkout" workload_type="deployment" container="api" item="/tmp/x" score="0.420" ' +
        'pid="4242" ppid="4000" uid="1000" comm="sh" exe="/bin/sh"] ' +
        'Exec from a temporary directory: /tmp/x (workload shop/checkout, container api; item /tmp/x)',
    );
  });

  it('formats an unscored anomaly outside Kubernetes exactly, with a BOM before a UTF-8 MSG', () => {
    const finding = sampleFinding({
      kind: 'anomaly',
      rule: '',
      category: 'file',
      severity: 'info',
      summary: 'New file opened: /srv/données]"x\\',
      item: '/srv/données]"x\\',
      score: NaN,
      workload: { namespace: '', workload: 'system.slice/nginx.service', workloadType: 'cgroup', container: '' },
    });
    const message = formatSyslogMessage(finding, { ...format, hostname: 'bad host\tname' }).toString('utf8');
    expect(message).toBe(
      '<134>1 2026-11-28T10:00:00.000Z bad_host_name telltale 77 anomaly-file ' +
        '[telltale@32473 kind="anomaly" category="file" severity="info" namespace="" ' +
        'workload="system.slice/nginx.service" workload_type="cgroup" container="" item="/srv/données\\]\\"x\\\\" ' +
        'pid="4242" ppid="4000" uid="1000" comm="sh" exe="/bin/sh"] ' +
        '\uFEFFNew file opened: /srv/données]"x\\ (workload system.slice/nginx.service; item /srv/données]"x\\)',
    );
    const parsed = parseRfc5424(Buffer.from(message));
    expect(parsed.hasBom).toBe(true);
    expect(parsed.structuredData[DEFAULT_SD_ID]?.item).toBe('/srv/données]"x\\');
  });

  it('cannot be split into two records by a newline in the item', () => {
    const finding = sampleFinding({ item: '/tmp/a\n<34>1 2026-01-01T00:00:00Z forged - - - - hi', summary: 'Exec: x\ny' });
    const message = formatSyslogMessage(finding, format);
    expect(message.includes(0x0a)).toBe(false);
    expect(parseRfc5424(message).structuredData[DEFAULT_SD_ID]?.item).toBe(
      '/tmp/a\uFFFD<34>1 2026-01-01T00:00:00Z forged - - - - hi',
    );
  });

  it('bounds the size: shortens MSG first, then long SD values, keeping valid UTF-8 and valid syntax', () => {
    const longPath = `/tmp/${'é'.repeat(600)}]"`;
    const finding = sampleFinding({ item: longPath, summary: `Exec from a temporary directory: ${longPath}` });
    for (const maxBytes of [480, 600, 1180, 2048]) {
      const message = formatSyslogMessage(finding, { ...format, maxBytes });
      expect(message.length).toBeLessThanOrEqual(maxBytes);
      expect(message.toString('utf8')).not.toContain('\uFFFD');
      const parsed = parseRfc5424(message);
      expect(parsed.hostname).toBe('node-a');
      const sd = parsed.structuredData[DEFAULT_SD_ID];
      expect(sd?.workload).toBe('checkout');
      if (maxBytes === 2048) expect(sd?.item).toBe(longPath);
      else expect(sd?.item?.endsWith('...')).toBe(true);
      if (maxBytes < 2048) expect(parsed.msg.endsWith('...') || parsed.msg === '').toBe(true);
    }
    const roomy = parseRfc5424(formatSyslogMessage(finding, { ...format, maxBytes: 8192 }));
    expect(roomy.msg).toContain(longPath);
  });

  it('truncates UTF-8 on character boundaries', () => {
    expect(truncateUtf8('aé€😀', 1)).toBe('a');
    expect(truncateUtf8('aé€😀', 2)).toBe('a');
    expect(truncateUtf8('aé€😀', 3)).toBe('aé');
    expect(truncateUtf8('aé€😀', 6)).toBe('aé€');
    expect(truncateUtf8('aé€😀', 9)).toBe('aé€');
    expect(truncateUtf8('aé€😀', 10)).toBe('aé€😀');
  });

  it('frames with RFC 6587 octet counting, counting bytes not characters', () => {
    const framed = frameOctetCounted(Buffer.from('<134>1 - - - - - - é'));
    expect(framed.toString('utf8')).toBe('21 <134>1 - - - - - - é');
    const stream = Buffer.concat([framed, frameOctetCounted(Buffer.from('x y')), Buffer.from('12 <1')]);
    const { messages, rest } = splitOctetCounted(stream);
    expect(messages.map((m) => m.toString('utf8'))).toEqual(['<134>1 - - - - - - é', 'x y']);
    expect(rest.toString()).toBe('12 <1');
  });
});
