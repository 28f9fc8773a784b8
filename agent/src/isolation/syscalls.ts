import type { TServerSpec } from '@berth/contracts';
import type { TLab } from './lab.ts';

// Raw syscalls from inside a VPS through perl's syscall() (perl is in the template; kmod, keyutils and
// friends are not). x86_64 numbers. Each probe prints "<name> OK" or "<name> <ERRNO>".
const PERL = String.raw`
use strict; use Errno;
sub errname { my ($n) = grep { $!{$_} } keys %!; $n // 'UNKNOWN' }
my $empty = ""; my $img = "\0" x 64; my $mod = "ext4";
# BPF_MAP_CREATE of a 1-entry array map: valid, so only the permission check can refuse it.
my $attr = pack('LLLL', 2, 4, 4, 1) . ("\0" x 112);
my %probe = (
  finit_module => sub { open(my $f, '<', '/etc/hostname') or die; syscall(313, fileno($f), $empty, 0) },
  init_module => sub { syscall(175, $img, 64, $empty) },
  delete_module => sub { syscall(176, $mod, 0) },
  kexec_load => sub { syscall(246, 0, 0, 0, 0) },
  open_by_handle_at => sub { my $h = pack('LLQ', 8, 1, 2); syscall(304, -100, $h, 0) },
  bpf => sub { syscall(321, 0, $attr, 128) },
  userfaultfd => sub { syscall(323, 0) },
  # settimeofday(NULL, NULL) changes nothing: only the CAP_SYS_TIME check (init namespace) can answer.
  settimeofday => sub { syscall(164, 0, 0) },
  # The clock set to the second it already shows, and adjtimex's maxerror (a statistic) set: were any of
  # them to pass, the host clock would move by less than a second and its tick and frequency not at all.
  clock_settime => sub { my $ts = pack('q q', time, 0); syscall(227, 0, $ts) },
  adjtimex => sub { my $tx = "\0" x 208; substr($tx, 0, 4) = pack('L', 4); substr($tx, 24, 8) = pack('q', 16000000); syscall(159, $tx) },
  clock_adjtime => sub { my $tx = "\0" x 208; substr($tx, 0, 4) = pack('L', 4); substr($tx, 24, 8) = pack('q', 16000000); syscall(305, 0, $tx) },
  setdomainname => sub { my $d = "berth-evil-domain"; syscall(171, $d, length $d) },
);
for my $name (@ARGV) { $! = 0; my $r = $probe{$name}->(); print "$name ", ($r == -1 ? errname() : "OK"), "\n" }
`;

export type TSyscall = 'finit_module' | 'init_module' | 'delete_module' | 'kexec_load' | 'open_by_handle_at' | 'bpf' | 'userfaultfd'
  | 'settimeofday' | 'clock_settime' | 'adjtimex' | 'clock_adjtime' | 'setdomainname';

/** Errno name (or OK) of each syscall tried as root inside the VPS. */
export const trySyscalls = async (lab: TLab, spec: TServerSpec, names: TSyscall[]): Promise<Record<string, string>> => {
  const r = await lab.ssh(spec, `perl - ${names.join(' ')}`, { input: PERL });
  const out: Record<string, string> = {};
  for (const line of r.out.trim().split('\n')) {
    const [name, res] = line.split(' ');
    if (name) out[name] = res ?? '';
  }
  for (const n of names) out[n] ??= `no answer (${r.err.trim().split('\n').pop()})`;
  return out;
};
