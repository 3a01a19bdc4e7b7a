/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86_64 syscall numbers the sensor treats specially. vmlinux.h carries no __NR_*
 * constants, and pulling in <asm/unistd.h> would drag host headers into the BPF
 * build, so the few we need are listed here.
 */
#ifndef TELLTALE_SYSCALL_NUMBERS_H
#define TELLTALE_SYSCALL_NUMBERS_H

#define TT_NR_write 1
#define TT_NR_open 2
#define TT_NR_close 3
#define TT_NR_getpid 39
#define TT_NR_socket 41
#define TT_NR_connect 42
#define TT_NR_accept 43
#define TT_NR_sendto 44
#define TT_NR_sendmsg 46
#define TT_NR_bind 49
#define TT_NR_listen 50
#define TT_NR_clone 56
#define TT_NR_execve 59
#define TT_NR_kill 62
#define TT_NR_creat 85
#define TT_NR_chown 92
#define TT_NR_fchown 93
#define TT_NR_lchown 94
#define TT_NR_ptrace 101
#define TT_NR_syslog 103
#define TT_NR_setuid 105
#define TT_NR_setgid 106
#define TT_NR_setreuid 113
#define TT_NR_setregid 114
#define TT_NR_setgroups 116
#define TT_NR_setresuid 117
#define TT_NR_setresgid 119
#define TT_NR_setfsuid 122
#define TT_NR_setfsgid 123
#define TT_NR_capset 126
#define TT_NR_mknod 133
#define TT_NR_setpriority 141
#define TT_NR_mlock 149
#define TT_NR_mlockall 151
#define TT_NR_pivot_root 155
#define TT_NR_adjtimex 159
#define TT_NR_setrlimit 160
#define TT_NR_chroot 161
#define TT_NR_acct 163
#define TT_NR_settimeofday 164
#define TT_NR_mount 165
#define TT_NR_umount2 166
#define TT_NR_swapon 167
#define TT_NR_swapoff 168
#define TT_NR_reboot 169
#define TT_NR_sethostname 170
#define TT_NR_setdomainname 171
#define TT_NR_iopl 172
#define TT_NR_ioperm 173
#define TT_NR_init_module 175
#define TT_NR_delete_module 176
#define TT_NR_quotactl 179
#define TT_NR_clock_settime 227
#define TT_NR_kexec_load 246
#define TT_NR_openat 257
#define TT_NR_mknodat 259
#define TT_NR_fchownat 260
#define TT_NR_unshare 272
#define TT_NR_accept4 288
#define TT_NR_perf_event_open 298
#define TT_NR_prlimit64 302
#define TT_NR_sendmmsg 307
#define TT_NR_setns 308
#define TT_NR_finit_module 313
#define TT_NR_kexec_file_load 320
#define TT_NR_bpf 321
#define TT_NR_execveat 322
#define TT_NR_mlock2 325
#define TT_NR_open_tree 428
#define TT_NR_move_mount 429
#define TT_NR_fsopen 430
#define TT_NR_fsmount 432
#define TT_NR_openat2 437

#endif /* TELLTALE_SYSCALL_NUMBERS_H */
