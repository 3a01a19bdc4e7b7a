import type { BehaviouralRule } from './behavioural-rule.js';

const REQUESTS: Record<string, string> = { '4': 'PTRACE_POKETEXT', '5': 'PTRACE_POKEDATA', '6': 'PTRACE_POKEUSER', '16': 'PTRACE_ATTACH', '16902': 'PTRACE_SEIZE' };

/** Attaching to or writing into another process: credential theft and code injection. */
export const ptraceAttach: BehaviouralRule = {
  id: 'ptrace-attach',
  severity: 'warning',
  category: 'syscall',
  description: 'ptrace attach, seize or memory/register poke on another process',
  evaluate(event) {
    if (event.kind !== 'signal' || event.signal !== 'ptrace') return null;
    const request = REQUESTS[event.arg0.toString()] ?? `request ${event.arg0}`;
    return { item: request, summary: `${event.process.comm} (pid ${event.process.pid}) used ${request} on pid ${event.arg1}` };
  },
};
