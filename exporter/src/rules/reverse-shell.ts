import type { BehaviouralRule } from './behavioural-rule.js';
import { isInterpreter, isShell, programName } from './programs.js';

/** An interactive shell reads commands from stdin: no command string, no script. */
function interactive(argv: readonly string[]): boolean {
  const args = argv.slice(1).filter((a) => a !== '--');
  if (args.includes('-i')) return true;
  return !args.some((a) => a === '-c' || a === '-e' || a === '-m' || a === '-r' || !a.startsWith('-'));
}

/**
 * A shell or interpreter talking to the network through its standard streams, or an
 * interactive shell started by a process that holds a connected socket (the
 * `mkfifo | sh | nc` family). Servers that run `sh -c cmd` or talk to children over
 * pipes (often UNIX sockets) do neither.
 */
export const reverseShell: BehaviouralRule = {
  id: 'reverse-shell',
  severity: 'critical',
  category: 'exec',
  description:
    'A shell or interpreter whose stdin or stdout is a network socket, or an interactive shell spawned by a process holding a connected socket',
  evaluate(event) {
    if (event.kind !== 'exec') return null;
    const shell = isShell(event.exe, event.argv);
    if (!shell && !isInterpreter(event.exe, event.argv)) return null;
    const name = programName(event.exe, event.argv);
    if (event.facts.stdinSocket || event.facts.stdoutSocket) {
      const streams = [event.facts.stdinSocket ? 'stdin' : '', event.facts.stdoutSocket ? 'stdout' : ''].filter(Boolean).join(' and ');
      return { item: event.exe, summary: `Reverse shell: ${name} (${event.exe}) runs with ${streams} on a network socket` };
    }
    if (shell && event.facts.parentConnectedSocket && interactive(event.argv)) {
      return { item: event.exe, summary: `Reverse shell: interactive ${name} started by ${event.parentExe || 'a process'} that holds a connected socket` };
    }
    return null;
  },
};
