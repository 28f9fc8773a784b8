#!/bin/sh
# Run a command "on" a rig host: in its network namespace and its persistent mount namespace (fresh sysfs
# of that netns, the cgroup mounts moved under it, a private /run), in the caller's working directory.
# usage: in-host.sh NETNS MNTNS_FILE CMD [ARGS...]
set -e
netns=$1 mntns=$2
shift 2
exec nsenter --net="/run/netns/$netns" --mount="$mntns" --wd="$PWD" -- "$@"
