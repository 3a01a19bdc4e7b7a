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

export function classifyExec(path: string): ExecClass {
  const base = execBasename(path);
  if (SHELLS.has(base)) return 'shell';
  if (INTERPRETERS.has(base)) return 'interpreter';
  if (NETWORK_TOOLS.has(base)) return 'network-tool';
  if (ADMIN_TOOLS.has(base)) return 'admin-tool';
  return 'other';
}
