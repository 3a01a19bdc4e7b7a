import type { BehaviouralRule } from './behavioural-rule.js';

/** Preloading a system library (jemalloc, a tracing shim) is ordinary; anything else hijacks the process. */
const SYSTEM_LIBRARY_DIRS = /^\/(?:usr\/)?(?:local\/)?lib(?:32|64|x32)?\//;

function suspiciousPreload(value: string): boolean {
  const entries = value.split(/[:\s]+/).filter((e) => e !== '');
  return entries.some((entry) => !SYSTEM_LIBRARY_DIRS.test(entry) || entry.includes('/../'));
}

/** LD_PRELOAD of a library outside the system library directories, or a write to /etc/ld.so.preload. */
export const ldPreload: BehaviouralRule = {
  id: 'ld-preload',
  severity: 'warning',
  category: 'exec',
  description: 'Exec with LD_PRELOAD naming a library outside the system library directories, or a write to /etc/ld.so.preload',
  evaluate(event) {
    if (event.kind === 'exec' && event.ldPreload !== null && suspiciousPreload(event.ldPreload)) {
      return { item: event.ldPreload, summary: `LD_PRELOAD injection: ${event.exe} started with LD_PRELOAD=${event.ldPreload}` };
    }
    if (event.kind === 'file' && event.path === '/etc/ld.so.preload' && (event.write || event.create || event.truncate)) {
      return { item: event.path, summary: `/etc/ld.so.preload opened for writing by ${event.process.comm} (pid ${event.process.pid})` };
    }
    return null;
  },
};
