#!/bin/sh
# Create a rig host's mount namespace once and pin it to MNTNS_FILE (its directory must be a private
# mount), so the agent, sshd and everything started through either share it across agent restarts,
# as processes on a real host share its mounts.
# usage: host-ns.sh NETNS MNTNS_FILE SCRATCH_DIR
set -e
netns=$1 mntns=$2 scratch=$3
mkdir -p "$scratch/cg"
touch "$mntns"
exec nsenter --net="/run/netns/$netns" unshare --mount="$mntns" --propagation private sh -c '
  set -e
  scratch=$1 netns=$2
  # LXC reads /sys/class/net and the cgroup v1 mounts: a sysfs of this netns, with the cgroups kept.
  mount --rbind /sys/fs/cgroup "$scratch/cg"
  mount -t sysfs "$netns" /sys
  mount --move "$scratch/cg" /sys/fs/cgroup
  # sshd needs /run/sshd; LXC keeps its locks in /run/lxc: both private to this host.
  mount -t tmpfs -o mode=755,size=64m "rig-$netns" /run
  mkdir -m 755 /run/sshd
  # The dev host pool and VPS disks belong to another host: drop our copies of them (deepest first).
  for m in $(findmnt -rn -o TARGET | grep "^/var/lib/berth" | sort -r); do umount -l "$m"; done
' host-ns "$scratch" "$netns"
