/**
 * Executables that matter more when they show up unexpectedly: shells and
 * interpreters (the payload of most intrusions), network tools (download, tunnel,
 * scan) and tools that change users, packages or the kernel. Matched on the
 * basename, with version suffixes (`python3.11`) removed.
 */
export type ExecClass = 'shell' | 'interpreter' | 'network-tool' | 'admin-tool' | 'other';

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'busybox']);
const INTERPRETERS = new Set(['python', 'perl', 'ruby', 'node', 'nodejs', 'php', 'lua', 'tclsh', 'awk', 'gawk', 'mawk', 'java', 'deno', 'bun', 'pwsh', 'osascript']);
const NETWORK_TOOLS = new Set(['nc', 'ncat', 'netcat', 'socat', 'curl', 'wget', 'nmap', 'ssh', 'scp', 'sftp', 'ftp', 'telnet', 'tftp', 'rsync', 'masscan', 'dig', 'nslookup', 'tcpdump']);
const ADMIN_TOOLS = new Set(['sudo', 'su', 'doas', 'useradd', 'adduser', 'usermod', 'passwd', 'chpasswd', 'insmod', 'modprobe', 'mount', 'nsenter', 'unshare', 'chroot', 'crontab', 'apt', 'apt-get', 'dpkg', 'yum', 'dnf', 'apk', 'rpm', 'pip', 'pip3', 'npm', 'setcap', 'iptables', 'kubectl', 'docker', 'crictl']);

export function execBasename(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/[\d.]+$/, '') || base;
}

const MULTI_CALL_BINARIES = new Set(['busybox', 'toybox']);

/**
 * The program an exec runs, as a user would name it: the executable's basename,
 * except for multi-call binaries (busybox, toybox), where argv says which applet
 * runs (`/bin/ls` -> busybox, argv[0] "ls"; or `busybox ls`).
 */
export function programName(path: string, argv: readonly string[] = []): string {
  const base = execBasename(path);
  if (!MULTI_CALL_BINARIES.has(base)) return base;
  const first = execBasename(argv[0] ?? '');
  if (first !== '' && !MULTI_CALL_BINARIES.has(first)) return first;
  const second = execBasename(argv[1] ?? '');
  return second !== '' && !second.startsWith('-') ? second : base;
}

export function classifyExec(path: string, argv: readonly string[] = []): ExecClass {
  const base = programName(path, argv);
  if (SHELLS.has(base)) return 'shell';
  if (INTERPRETERS.has(base)) return 'interpreter';
  if (NETWORK_TOOLS.has(base)) return 'network-tool';
  if (ADMIN_TOOLS.has(base)) return 'admin-tool';
  return 'other';
}
