#!/usr/bin/env bash
# Build the Debian 12 VPS template: debootstrap -> template hygiene -> minimal ext4 image (files owned by
# uid 0; each VPS sees them through its own idmapped mount) at <data>/pool/templates/debian-12.img.
# Cached: the recipe hash (this script + package list + suite) is stored next to the image and in the
# rootfs cache; a run with an unchanged recipe does nothing.
#
# Env: BERTH_DATA_DIR (default from <repo>/.env, else /var/lib/berth)
#      BERTH_DEBIAN_MIRROR (default http://deb.debian.org/debian)
#      BERTH_TEMPLATE_FORCE=1 rebuilds even when the recipe is unchanged.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
env_file_value() { [ -f "$REPO/.env" ] && sed -n "s/^$1=[\"']\{0,1\}\([^\"']*\)[\"']\{0,1\}\$/\1/p" "$REPO/.env" | tail -1 || true; }
DATA_DIR=${BERTH_DATA_DIR:-$(env_file_value BERTH_DATA_DIR)}
DATA_DIR=${DATA_DIR:-/var/lib/berth}
MIRROR=${BERTH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
NAME=debian-12
# dbus: hostnamectl/timedatectl work; netbase: /etc/services, /etc/protocols; the rest is the notes' minbase.
PACKAGES=systemd-sysv,dbus,iproute2,openssh-server,procps,iputils-ping,netbase,less,vim-tiny

CACHE=$DATA_DIR/cache/rootfs-$NAME
POOL=$DATA_DIR/pool
IMAGE=$POOL/templates/$NAME.img
RECIPE=$( (cat "${BASH_SOURCE[0]}"; echo "$PACKAGES $SUITE") | sha256sum | cut -d' ' -f1)

log() { echo "build-template: $*" >&2; }

# The pool must be mounted (prepare-host creates and mounts it when missing, e.g. after a reboot).
if ! mountpoint -q "$POOL"; then
  log "pool not mounted: running prepare-host"
  (cd "$REPO" && BERTH_DATA_DIR=$DATA_DIR npx tsx agent/src/prepare-host.ts)
fi
mkdir -p "$POOL/templates"

# Fast path: nothing to do when the image already matches this recipe.
if [ "${BERTH_TEMPLATE_FORCE:-0}" != 1 ] && [ -f "$IMAGE" ] && [ "$(cat "$IMAGE.recipe" 2>/dev/null)" = "$RECIPE" ]; then
  log "$IMAGE is up to date ($RECIPE)"
  exit 0
fi

# 1. rootfs cache (the slow part: ~1 min of debootstrap), rebuilt only when the recipe changes.
if [ "${BERTH_TEMPLATE_FORCE:-0}" = 1 ] || [ "$(cat "$CACHE.recipe" 2>/dev/null)" != "$RECIPE" ]; then
  log "debootstrap $SUITE from $MIRROR"
  rm -rf "$CACHE.tmp" "$CACHE" "$CACHE.recipe"
  mkdir -p "$(dirname "$CACHE")"
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$CACHE.tmp" "$MIRROR" >"$DATA_DIR/cache/debootstrap-$NAME.log" 2>&1 \
    || { tail -20 "$DATA_DIR/cache/debootstrap-$NAME.log" >&2; exit 1; }
  R=$CACHE.tmp
  # Hygiene (lxc-host.md): every VPS gets its own machine-id, host keys and hostname at create time.
  : >"$R/etc/machine-id"
  rm -f "$R/var/lib/dbus/machine-id" && ln -s /etc/machine-id "$R/var/lib/dbus/machine-id"
  rm -f "$R"/etc/ssh/ssh_host_* "$R/etc/hostname"
  # The host's resolver must not leak into VPSes (there is no DNS on the bridge).
  rm -f "$R/etc/resolv.conf" && : >"$R/etc/resolv.conf"
  # Unprivileged containers cannot mount debugfs/tracefs/configfs: masked, or the VPS reports degraded.
  for u in sys-kernel-debug.mount sys-kernel-tracing.mount sys-kernel-config.mount \
    systemd-networkd-wait-online.service; do
    ln -sf /dev/null "$R/etc/systemd/system/$u"
  done
  # Nothing to do in a container, and each one costs boot time: no kernel modules can be loaded, the
  # rootfs is not the VPS's to scrub, and there is no kernel command line network config.
  for u in systemd-modules-load.service modprobe@.service e2scrub_reap.service systemd-network-generator.service; do
    ln -sf /dev/null "$R/etc/systemd/system/$u"
  done
  chroot "$R" systemctl enable systemd-networkd.service >/dev/null 2>&1
  # Root logs in with a key; a password login is enabled per VPS only when a password hash is set.
  printf 'PermitRootLogin prohibit-password\nUseDNS no\n' >"$R/etc/ssh/sshd_config.d/10-berth.conf"
  chroot "$R" apt-get clean
  rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/cache/debconf/*-old \
    "$R"/var/log/journal/* "$R"/tmp/* "$R"/var/tmp/* "$R"/dev/*
  find "$R/var/log" -type f -exec truncate -s 0 {} +
  mv "$R" "$CACHE"
  echo "$RECIPE" >"$CACHE.recipe"
fi

# 2. Pack into a minimal ext4 image: 4 KiB blocks (small filesystems would default to 1 KiB), no reserve
# (unusable by unprivileged root), then shrunk to its minimum so any plan size can grow it.
TMP=$IMAGE.tmp.$$
trap 'rm -f "$TMP"' EXIT
SIZE=$(( $(du -sxb "$CACHE" | cut -f1) * 3 / 2 + 256 * 1024 * 1024 ))
rm -f "$TMP" && truncate -s "$SIZE" "$TMP"
mkfs.ext4 -q -F -m 0 -b 4096 -I 256 -i 16384 -L berth-root -E root_owner=0:0 -d "$CACHE" "$TMP"
e2fsck -fy "$TMP" >/dev/null 2>&1 || [ $? -le 1 ]  # 1 = fixed something
resize2fs -M "$TMP" >/dev/null 2>&1
BLOCKS=$(dumpe2fs -h "$TMP" 2>/dev/null | sed -n 's/^Block count: *//p')
truncate -s $((BLOCKS * 4096)) "$TMP"
e2fsck -fn "$TMP" >/dev/null 2>&1 || { echo "packed image fails e2fsck" >&2; exit 1; }
mv "$TMP" "$IMAGE"
echo "$RECIPE" >"$IMAGE.recipe"
log "built $IMAGE ($(du -h --apparent-size "$IMAGE" | cut -f1), recipe $RECIPE)"
