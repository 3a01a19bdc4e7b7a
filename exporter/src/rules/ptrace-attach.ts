import type { BehaviouralRule } from './behavioural-rule.js';

/**
 * The requests that take hold of another process or write into it. The rest
 * (PTRACE_TRACEME, peeks, PTRACE_CONT, …) either only ask to be traced or act on a
 * tracee that one of these already made.
 */
const REQUESTS: ReadonlyMap<bigint, string> = new Map([
  [4n, 'PTRACE_POKETEXT'],
  [5n, 'PTRACE_POKEDATA'],
  [6n, 'PTRACE_POKEUSER'],
  [16n, 'PTRACE_ATTACH'],
  [0x4206n, 'PTRACE_SEIZE'],
]);

/**
 * Attaching to or writing into another process: credential theft and code injection.
 * The sensor reports only these requests, on a target other than the caller's own
 * process; the rule checks the same, so a record of anything else cannot page. A
 * target equal to the calling thread is the caller itself (the kernel refuses to
 * attach within a thread group). A sibling thread's tid cannot be told from another
 * process's pid here: the record carries no thread group of the target.
 */
export const ptraceAttach: BehaviouralRule = {
  id: 'ptrace-attach',
  severity: 'warning',
  category: 'syscall',
  description: 'ptrace attach, seize or memory/register poke on another process',
  evaluate(event) {
    if (event.kind !== 'signal' || event.signal !== 'ptrace') return null;
    const request = REQUESTS.get(event.arg0);
    if (request === undefined) return null;
    const target = event.arg1;
    if (target === BigInt(event.process.pid) || target === BigInt(event.process.tid)) return null;
    return { item: request, summary: `${event.process.comm} (pid ${event.process.pid}) used ${request} on pid ${target}` };
  },
};
