#!/usr/bin/perl
# idmount.pl USERNS SRC DST — attach at DST an idmapped clone of the mount at SRC, mapped like the user
# namespace file USERNS (/proc/PID/ns/user). util-linux 2.38 (Debian 12) has no CLI for mount_setattr.
# Syscall numbers are the same on every architecture for these new-API calls.
use strict;
use warnings;
my ($ns, $src, $dst) = map {"$_"} @ARGV;
die "usage: idmount.pl USERNS SRC DST\n" unless defined $dst;
open(my $nsfh, '<', $ns) or die "open $ns: $!\n";
my ($AT_FDCWD, $OPEN_TREE_CLONE, $O_CLOEXEC, $AT_EMPTY_PATH, $MOUNT_ATTR_IDMAP, $MOVE_MOUNT_F_EMPTY_PATH) =
  (-100, 1, 0x80000, 0x1000, 0x100000, 4);
my $tree = syscall(428, $AT_FDCWD, $src, $OPEN_TREE_CLONE | $O_CLOEXEC);    # open_tree
die "open_tree $src: $!\n" if $tree < 0;
my $attr = pack('QQQQ', $MOUNT_ATTR_IDMAP, 0, 0, fileno($nsfh));           # struct mount_attr (v0)
my $empty = '';
syscall(442, $tree, $empty, $AT_EMPTY_PATH, $attr, length($attr)) == 0 or die "mount_setattr: $!\n";
my $empty2 = '';
syscall(429, $tree, $empty2, $AT_FDCWD, $dst, $MOVE_MOUNT_F_EMPTY_PATH) == 0 or die "move_mount $dst: $!\n";
