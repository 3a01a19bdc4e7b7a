import type { Severity } from './severity.js';

/** A behavioural rule of the exporter (README "Behavioural rules") and the alert raised for it. */
export interface BehaviouralRule {
  readonly id: string;
  /** Severity the exporter reports for the rule; the alert keeps the exporter's `severity` label. */
  readonly severity: Severity;
  readonly alert: string;
  /** Short noun phrase for the summary, e.g. "Reverse shell". */
  readonly title: string;
  /** What a hit means, completing "The behavioural rule <id> matched: …". */
  readonly meaning: string;
}

export const BEHAVIOURAL_RULES: readonly BehaviouralRule[] = [
  {
    id: 'reverse-shell',
    severity: 'critical',
    alert: 'TelltaleReverseShell',
    title: 'Reverse shell',
    meaning: 'a shell or interpreter is wired to a network socket',
  },
  {
    id: 'fileless-exec',
    severity: 'critical',
    alert: 'TelltaleFilelessExec',
    title: 'Fileless execution',
    meaning: 'a program was executed from memory (memfd), from a deleted file or through /proc/self/fd',
  },
  {
    id: 'exec-from-temp',
    severity: 'warning',
    alert: 'TelltaleExecFromTemp',
    title: 'Execution from a temporary directory',
    meaning: 'a binary under /dev/shm, /tmp or /var/tmp was executed',
  },
  {
    id: 'exec-not-in-image',
    severity: 'warning',
    alert: 'TelltaleExecNotInImage',
    title: 'Execution of a binary not in the image',
    meaning: 'a binary written after the container started (overlayfs upper layer) was executed',
  },
  {
    id: 'kernel-module-load',
    severity: 'critical',
    alert: 'TelltaleKernelModuleLoad',
    title: 'Kernel module load',
    meaning: 'a kernel module was loaded (init_module or finit_module)',
  },
  {
    id: 'ptrace-attach',
    severity: 'warning',
    alert: 'TelltalePtraceAttach',
    title: 'Ptrace attach',
    meaning: 'a process attached to, seized or poked another process with ptrace',
  },
  {
    id: 'namespace-change',
    severity: 'warning',
    alert: 'TelltaleNamespaceChange',
    title: 'Namespace change',
    meaning: 'a process moved into new namespaces with unshare or setns',
  },
  {
    id: 'service-account-token-read',
    severity: 'warning',
    alert: 'TelltaleServiceAccountTokenRead',
    title: 'Service-account token read',
    meaning: 'a shell, interpreter or file tool read a Kubernetes service-account token',
  },
  {
    id: 'sensitive-file-read',
    severity: 'warning',
    alert: 'TelltaleSensitiveFileRead',
    title: 'Sensitive file read',
    meaning: 'a process other than a login or account tool read /etc/shadow, /etc/gshadow, /etc/sudoers or an SSH private key',
  },
  {
    id: 'crypto-miner',
    severity: 'critical',
    alert: 'TelltaleCryptoMiner',
    title: 'Crypto-miner traffic',
    meaning: 'a process connected to a stratum port, resolved a mining-pool domain, ran with a stratum URL, or reached a port pools share with ordinary services after one of those',
  },
  {
    id: 'ld-preload',
    severity: 'warning',
    alert: 'TelltaleLdPreload',
    title: 'LD_PRELOAD injection',
    meaning: 'a program was executed with LD_PRELOAD set, or /etc/ld.so.preload was written',
  },
];

/** Raised for hits of rules this list does not know yet, so a newer exporter never goes unheard. */
export const OTHER_RULE_ALERT = 'TelltaleBehaviouralRuleDetection';
