#!/bin/sh
# lxc.hook.start-host for every Berth VPS: runs on the host at each boot, a reboot from inside included,
# right before init starts. It writes the cgroup v1 values of the VPS's current plan from the `limits`
# file the agent keeps next to the config (LXC alone would reuse the values of the original lxc-start, so
# a live resize would be undone by a reboot). Any failure aborts the boot: a VPS never runs unlimited.
set -eu
dir=$(dirname "$LXC_CONFIG_FILE")
limits="$dir/limits"
[ -r "$limits" ] || { echo "berth: $limits missing" >&2; exit 1; }

cgdir() { # the VPS's directory of the v1 controller named $1
  awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$LXC_PID/cgroup"
}

apply() { # $1 = strict: report failures
  failed=0
  while read -r key value; do
    [ -n "$key" ] || continue
    path="/sys/fs/cgroup/${key%%.*}$(cgdir "${key%%.*}")/$key"
    if ! printf '%s\n' "$value" 2>/dev/null > "$path"; then
      failed=1
      [ "$1" = strict ] && echo "berth: cannot write $value to $path" >&2
    fi
  done < "$limits"
  return $failed
}

# memory must stay <= memory+swap: a second pass settles any order the first pass could not.
apply lenient || apply strict

# cgroup v1 blkio throttles apply to the group itself only, not to its children: if root inside could
# create a child group and move there, its IO would be unlimited. The directory stays the host's.
# The same for memory: cgroup v1 charges socket buffers only in a group whose own kmem.tcp limit is set,
# and a child group would start without one.
for ctrl in blkio memory; do
  dir="/sys/fs/cgroup/$ctrl$(cgdir "$ctrl")"
  chown 0:0 "$dir"
  chmod 0755 "$dir"
done
