import { capabilityName } from '../profiles/capability-names.js';
import type { ObservationRecord } from './sensor-record.js';
import { syscallName } from './syscall-names.js';

/**
 * One line naming what a record observed, for logs and for the `item` of metrics:
 * an exe path, a file path with its access, a peer, a name. Secrets are not
 * stripped here; callers that publish items redact them first.
 */
export function describeRecord(record: ObservationRecord): string {
  switch (record.kind) {
    case 'exec':
      return record.exe;
    case 'file': {
      const access = [record.read ? 'r' : '', record.write ? 'w' : '', record.create ? 'c' : '', record.truncate ? 't' : ''].join('');
      return `${record.path} (${access || 'open'})`;
    }
    case 'syscall':
      return syscallName(record.nr);
    case 'syscall_sequence':
      return record.calls.map(syscallName).join(' ');
    case 'network': {
      const host = record.family === 'inet6' ? `[${record.address}]` : record.address;
      return `${record.direction} ${record.protocol || 'ip'} ${host}:${record.port}`;
    }
    case 'dns':
      return record.name;
    case 'capability':
      return capabilityName(record.capability) + (record.granted ? '' : ' (denied)');
  }
}
