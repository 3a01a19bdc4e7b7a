import type { BehaviouralRule } from './behavioural-rule.js';
import { isAuthProgram } from './programs.js';

export const SENSITIVE_FILES: readonly RegExp[] = [
  /^\/etc\/(?:shadow|gshadow)-?$/,
  /^\/etc\/ssh\/ssh_host_[a-z0-9]+_key$/,
  /^\/(?:root|home\/[^/]+)\/\.ssh\/id_[a-z0-9]+$/,
  /^\/etc\/sudoers$/,
];

/** Reading password hashes or private keys, by anything but the programs whose job that is. */
export const sensitiveFileRead: BehaviouralRule = {
  id: 'sensitive-file-read',
  severity: 'warning',
  category: 'file',
  description: 'Reading /etc/shadow, /etc/gshadow, /etc/sudoers, SSH host keys or SSH private keys, by a program other than login and account tools',
  evaluate(event) {
    if (event.kind !== 'file' || !event.read || !SENSITIVE_FILES.some((p) => p.test(event.path))) return null;
    if (isAuthProgram(event.process.comm)) return null;
    return { item: event.path, summary: `Sensitive file read by ${event.process.comm} (pid ${event.process.pid}): ${event.path}` };
  },
};
