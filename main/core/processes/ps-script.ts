// The process table of an SSH host in one exec: a fixed POSIX sh script, no user input in it, that
// prints the host facts, the owner of each /proc/PID, and each process's /proc files. Each file is
// read by grep with -H, so every line (every NUL-terminated record for cmdline) carries the file it
// came from: a process name or argument with line breaks or "@@" in it cannot pose as another
// process or section.
// About ten forks per reading, whatever the number of processes.

export const PS_SCRIPT = [
  'cd /proc || exit 3',
  "printf '@@uptime\\n'; cat uptime",
  "printf '@@stat\\n'; grep -e '^btime ' -e '^cpu[0-9]' stat",
  "printf '@@meminfo\\n'; grep '^MemTotal:' meminfo",
  "printf '@@passwd\\n'; cut -d: -f1,3 /etc/passwd 2>/dev/null",
  "printf '@@pagesize\\n'; getconf PAGESIZE 2>/dev/null",
  "printf '@@pstat\\n'; grep -sH '' [0-9]*/stat",
  "printf '@@powner\\n'; stat -c '%u %n' [0-9]* 2>/dev/null",
  "printf '@@pio\\n'; grep -sH -e '^read_bytes:' -e '^write_bytes:' [0-9]*/io",
  "printf '@@pcgroup\\n'; grep -sH -e '^0::' -e ':name=systemd:' [0-9]*/cgroup",
  // Last: its records end in NUL, not in line breaks.
  "printf '@@pcmdline\\n'; grep -saHz '' [0-9]*/cmdline",
  'exit 0',
].join('; ');

/** The argument vector run over SSH (quoted by the runner like every other command). */
export function psCommand(): string[] {
  return ['sh', '-c', PS_SCRIPT, 'hyperion-ps'];
}
