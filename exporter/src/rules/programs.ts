import { classifyExec, execBasename, programName } from '../scoring/exec-classes.js';

/**
 * Program classes the rules need, on top of scoring's exec classes. Names are
 * compared as programName() gives them (busybox applets by their applet name).
 */
export { programName };

export function isShell(path: string, argv: readonly string[]): boolean {
  return classifyExec(path, argv) === 'shell' && programName(path, argv) !== 'busybox';
}

export function isInterpreter(path: string, argv: readonly string[]): boolean {
  return classifyExec(path, argv) === 'interpreter';
}

/** Tools that dump or ship a file's contents: what an intruder reads a secret with. */
const FILE_TOOLS = new Set([
  'cat', 'head', 'tail', 'less', 'more', 'base64', 'xxd', 'od', 'hexdump', 'strings', 'cp', 'dd', 'tar', 'gzip', 'zip',
  'curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'scp', 'rsync', 'grep', 'awk', 'sed', 'vi', 'vim', 'nano',
]);

/** A process name (comm) or program that reads files on a human's (or a payload's) behalf. */
export function isFileTool(name: string): boolean {
  const base = execBasename(name);
  return FILE_TOOLS.has(base) || classifyExec(name) === 'shell' || classifyExec(name) === 'interpreter';
}

/** Programs whose job is to read credentials: login, PAM helpers, account tools. */
const AUTH_PROGRAMS = new Set([
  'login', 'sshd', 'su', 'sudo', 'passwd', 'unix_chkpwd', 'chpasswd', 'chage', 'useradd', 'usermod', 'userdel',
  'groupadd', 'groupmod', 'gpasswd', 'newgrp', 'vipw', 'pwck', 'grpck', 'shadowconfig', 'pwconv', 'grpconv', 'cron',
  'systemd-logind', 'polkitd', 'lightdm', 'gdm-session-wor', 'vsftpd', 'dovecot', 'doas',
]);

export function isAuthProgram(comm: string): boolean {
  return AUTH_PROGRAMS.has(comm);
}
