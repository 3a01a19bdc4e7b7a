import { DEFAULT_SD_ID, SYSLOG_FACILITIES, type SyslogFormat } from '../syslog-message.js';

/** A syslog format for tests: facility local0, host `node-a`; override what a test is about. */
export function testSyslogFormat(overrides: Partial<SyslogFormat> = {}): SyslogFormat {
  return {
    facility: SYSLOG_FACILITIES.local0 ?? 16,
    hostname: 'node-a',
    appName: 'telltale',
    procId: '77',
    sdId: DEFAULT_SD_ID,
    maxBytes: 2048,
    ...overrides,
  };
}
