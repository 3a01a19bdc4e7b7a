import type { BehaviouralRule } from './behavioural-rule.js';

/** Droppers land in world-writable scratch space; real software is installed elsewhere. */
export const execFromTemp: BehaviouralRule = {
  id: 'exec-from-temp',
  severity: 'warning',
  category: 'exec',
  description: 'Execution of a binary under /dev/shm, /tmp or /var/tmp',
  evaluate(event) {
    if (event.kind !== 'exec' || !(event.facts.fromTmp || event.facts.fromDevShm)) return null;
    return { item: event.exe, summary: `Binary executed from ${event.facts.fromDevShm ? '/dev/shm' : 'a temp directory'}: ${event.exe}` };
  },
};
