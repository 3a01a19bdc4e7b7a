import type { BehaviouralRule } from './behavioural-rule.js';

/**
 * runc protects itself against CVE-2019-5736 by re-executing a sealed memfd copy of
 * its own binary. That memfd carries this name, and only container runtimes start it.
 */
const RUNTIME_SELF_CLONES = /^\/memfd:runc_cloned:/;
const RUNTIME_PARENTS = /\/(?:runc|podman|conmon|containerd-shim[^/]*|crio|dockerd|containerd)$/;

/** Code that runs without a file on disk: a memfd, a deleted file, or an fd path. */
export const filelessExec: BehaviouralRule = {
  id: 'fileless-exec',
  severity: 'critical',
  category: 'exec',
  description: 'Execution of a memfd, a deleted file, or a binary through /proc/self/fd',
  evaluate(event) {
    if (event.kind !== 'exec') return null;
    const { memfd, unlinked, viaProcFd } = event.facts;
    if (!memfd && !unlinked && !viaProcFd) return null;
    if (memfd && RUNTIME_SELF_CLONES.test(event.exe) && RUNTIME_PARENTS.test(event.parentExe)) return null;
    const how = memfd ? 'from a memfd' : unlinked ? 'from a deleted file' : 'through a /proc/self/fd path';
    return { item: event.exe, summary: `Fileless execution: ${event.exe} runs ${how}` };
  },
};
