import type { BehaviouralRule } from './behavioural-rule.js';

/** Loading a kernel module from a workload is a way out of every container boundary. */
export const kernelModuleLoad: BehaviouralRule = {
  id: 'kernel-module-load',
  severity: 'critical',
  category: 'capability',
  description: 'A kernel module load attempt (init_module or finit_module)',
  evaluate(event) {
    if (event.kind !== 'signal' || event.signal !== 'module_load') return null;
    const call = event.syscallNr === 313 ? 'finit_module' : 'init_module';
    return { item: call, summary: `Kernel module load attempted with ${call} by ${event.process.comm} (pid ${event.process.pid})` };
  },
};
