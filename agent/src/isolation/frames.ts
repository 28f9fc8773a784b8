import { spawn } from 'node:child_process';
import type { TServerSpec } from '@berth/contracts';
import type { TLab } from './lab.ts';

// Raw Ethernet through AF_PACKET in perl (in the template and on the host): forge frames inside a VPS and
// watch what really arrives on a port (the host's bridge device, a neighbour's eth0). Each captured frame
// is printed as hex, one per line; frames the capturing side sends itself (PACKET_OUTGOING) are skipped.
const PACKET = String.raw`
use strict; use Socket; use IO::Select; # perl-base only inside a VPS: no Time::HiRes
my ($mode, $if, @rest) = @ARGV;
open(my $fi, '<', "/sys/class/net/$if/ifindex") or die "ifindex $if: $!"; my $ifindex = <$fi> + 0;
socket(my $s, 17, 3, 0x0300) or die "socket AF_PACKET: $!\n"; # AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)
bind($s, pack('S n i S C C a8', 17, 0x0003, $ifindex, 0, 0, 0, '')) or die "bind: $!\n";
$| = 1;
if ($mode eq 'sniff') {
  my $end = time + $rest[0]; my $sel = IO::Select->new($s); print "ready\n";
  while ((my $left = $end - time) > 0) {
    next unless $sel->can_read($left);
    my $from = recv($s, my $buf, 65535, 0);
    my $pkttype = (unpack('S n i S C', $from))[4];
    print unpack('H*', substr($buf, 0, 96)), "\n" unless $pkttype == 4;
  }
} elsif ($mode eq 'send') {
  select(undef, undef, undef, $rest[0]); # the capturing sides are listening by now
  for my $hex (@rest[1..$#rest]) { my $n = send($s, pack('H*', $hex), 0); print defined $n ? "sent $n\n" : "send failed: $!\n" }
} elsif ($mode eq 'arpscan') {
  # who-has every address of the /24 (sender: our own MAC and IP, so the filter has no reason to drop it)
  my ($mac, $ip, $secs) = @rest; my @me = split /\./, $ip; my $sel = IO::Select->new($s); my %seen;
  for my $i (1..254) {
    my $req = pack('H12 H12 n n n C C n H12 C4 H12 C4', 'ffffffffffff', $mac =~ s/://gr, 0x0806, 1, 0x0800, 6, 4, 1,
      $mac =~ s/://gr, @me, '000000000000', @me[0..2], $i);
    send($s, $req, 0);
  }
  my $end = time + $secs;
  while ((my $left = $end - time) > 0) {
    next unless $sel->can_read($left);
    recv($s, my $buf, 65535, 0);
    my ($type, $op) = unpack('x12 n x6 n', $buf);
    $seen{join('.', unpack('x28 C4', $buf))} = 1 if $type == 0x0806 && $op == 2;
  }
  print join(' ', sort keys %seen), "\n";
}
`;

export const PACKET_PL = PACKET;

const hex = (s: string) => Buffer.from(s).toString('hex');
const macHex = (mac: string) => mac.replace(/:/g, '').toLowerCase();
const ipHex = (ip: string) => ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('');

/** A frame with any ethertype: ether dst, src, type, payload (padded to the 60-byte minimum). */
export const ethFrame = (dst: string, src: string, type: number, payload: string) =>
  (macHex(dst) + macHex(src) + type.toString(16).padStart(4, '0') + payload).padEnd(120, '0');

/** An ARP packet (op 1 request / 2 reply) in an Ethernet frame. */
export const arpFrame = (o: { dst: string; src: string; op: 1 | 2; senderMac: string; senderIp: string; targetMac: string; targetIp: string }) =>
  ethFrame(o.dst, o.src, 0x0806, `000108000604000${o.op}${macHex(o.senderMac)}${ipHex(o.senderIp)}${macHex(o.targetMac)}${ipHex(o.targetIp)}`);

/** An IPv4/UDP datagram (checksums: IP header computed, UDP 0 = none) carrying `marker`. */
export const udpFrame = (o: { dst: string; src: string; srcIp: string; dstIp: string; port: number; marker: string }) => {
  const data = hex(o.marker);
  const udpLen = 8 + data.length / 2;
  const udp = `${(40000).toString(16)}${o.port.toString(16).padStart(4, '0')}${udpLen.toString(16).padStart(4, '0')}0000${data}`;
  const total = 20 + udpLen;
  const head = `4500${total.toString(16).padStart(4, '0')}00004000` + `4011` + '0000' + ipHex(o.srcIp) + ipHex(o.dstIp);
  const words = head.match(/.{4}/g)!.map((w) => parseInt(w, 16));
  let sum = words.reduce((a, b) => a + b, 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  const ip = head.slice(0, 20) + (~sum & 0xffff).toString(16).padStart(4, '0') + head.slice(24);
  return ethFrame(o.dst, o.src, 0x0800, ip + udp);
};

/** Captured frames (hex) containing `needle` (hex) anywhere. */
export const matching = (frames: string[], needle: string) => frames.filter((f) => f.includes(needle.toLowerCase()));
export const markerHex = hex;
export const arpNeedle = (senderMac: string, senderIp: string) => `${macHex(senderMac)}${ipHex(senderIp)}`;

/** Capture on a host interface for `secs`; resolves once listening, with a promise of the frames. */
export const sniffHost = (ifname: string, secs: number) =>
  new Promise<{ frames: Promise<string[]> }>((resolve, reject) => {
    const c = spawn('perl', ['-', 'sniff', ifname, String(secs)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const frames = new Promise<string[]>((res) => c.on('close', () => res(out.split('\n').slice(1).filter(Boolean))));
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve({ frames });
    });
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('close', (code) => code !== 0 && reject(new Error(`host sniffer on ${ifname}: ${err.trim()}`)));
    c.stdin.end(PACKET);
  });

/** Capture inside a VPS (its eth0) for `secs`: the frames that reached it. */
export const sniffIn = async (lab: TLab, spec: TServerSpec, secs: number) => {
  const r = await lab.ssh(spec, `perl - sniff eth0 ${secs}`, { input: PACKET, timeoutMs: (secs + 30) * 1000 });
  if (!r.out.startsWith('ready')) throw new Error(`sniffer in ${spec.network.ipv4}: ${r.err.trim()}`);
  return r.out.split('\n').slice(1).filter(Boolean);
};

/** Send raw frames from a VPS's eth0 after `delay` s; returns the sender's own report per frame. */
export const sendFrom = async (lab: TLab, spec: TServerSpec, frames: string[], delay = 2) =>
  (await lab.ssh(spec, `perl - send eth0 ${delay} ${frames.join(' ')}`, { input: PACKET })).out.trim().split('\n');

/** ARP-scan the VPS's /24 from inside: the addresses that answered. */
export const arpScan = async (lab: TLab, spec: TServerSpec, secs = 3) =>
  (await lab.ssh(spec, `perl - arpscan eth0 ${spec.network.mac} ${spec.network.ipv4} ${secs}`, { input: PACKET })).out.trim().split(/\s+/).filter(Boolean);

// TCP connect scan of every address of a /24 but our own, in batches below select()'s 1024 descriptors.
const TCPSCAN = String.raw`
use strict; use Socket; use IO::Select; use Fcntl; use Errno;
my ($net, $me, $wait, @ports) = @ARGV; my (@targets, %open, %refused); my ($unreach, $silent) = (0, 0);
for my $i (1..254) { push @targets, map { ["$net.$i", $_] } @ports unless "$net.$i" eq $me }
while (my @batch = splice(@targets, 0, 900)) {
  my $sel = IO::Select->new; my %name;
  for my $t (@batch) {
    socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
    fcntl($s, F_SETFL, fcntl($s, F_GETFL, 0) | O_NONBLOCK);
    connect($s, pack_sockaddr_in($t->[1], inet_aton($t->[0])));
    $name{fileno $s} = "$t->[0]:$t->[1]"; $sel->add($s);
  }
  my $end = time + $wait;
  while ($sel->count && (my $left = $end - time) > 0) {
    for my $s ($sel->can_write($left)) {
      my $err = unpack('i', getsockopt($s, SOL_SOCKET, SO_ERROR)); my $n = $name{fileno $s};
      if ($err == 0) { $open{$n} = 1 } elsif ($err == Errno::ECONNREFUSED) { $refused{$n} = 1 } else { $unreach++ }
      $sel->remove($s); close $s;
    }
  }
  $silent += $sel->count;
}
print "open=", join(',', sort keys %open), "\nrefused=", join(',', sort keys %refused), "\nunreachable=$unreach\nsilent=$silent\n";
`;

/** TCP connect scan of the VPS's /24 (its own address left out) on `ports`, from inside. */
export const tcpScan = async (lab: TLab, spec: TServerSpec, ports: number[], waitS = 3) => {
  const net = spec.network.ipv4.split('.').slice(0, 3).join('.');
  const r = await lab.ssh(spec, `ulimit -n 4096; perl - ${net} ${spec.network.ipv4} ${waitS} ${ports.join(' ')}`, { input: TCPSCAN, timeoutMs: 180_000 });
  const field = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(r.out)?.[1];
  if (field('silent') === undefined) throw new Error(`tcp scan in ${spec.network.ipv4}: ${r.err.trim()}`);
  const list = (k: string) => (field(k) ?? '').split(',').filter(Boolean);
  return { open: list('open'), refused: list('refused'), unreachable: Number(field('unreachable')), silent: Number(field('silent')) };
};
