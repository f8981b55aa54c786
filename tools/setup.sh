#!/usr/bin/env bash
# Installs everything the library and its tests need on Debian 12, from nothing:
# the Debian packages whose real tools the tests run, then the npm packages (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."

# Tools the render and host tests run for real (drbdadm, corosync, o2cb, xmllint, lvm,
# nbd-server, nbdinfo, send_arp, mkfs, unshare, ip), the SSH client the engine's command provider
# uses, the sshd the engine tests run, and what the VM lab builds and boots guests with.
PACKAGES=(
  drbd-utils corosync ocfs2-tools libxml2-utils lvm2 nbd-server libnbd-bin resource-agents
  e2fsprogs util-linux iproute2 procps openssh-client openssh-server
  qemu-system-x86 qemu-utils debootstrap
)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  # Installing a daemon must not start it on this machine: the tests start what they need.
  added_policy=no
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
    as_root chmod 755 /usr/sbin/policy-rc.d
    added_policy=yes
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$added_policy" = no ] || as_root rm -f /usr/sbin/policy-rc.d
fi

if ! command -v go >/dev/null 2>&1; then
  echo "setup: Go is needed to build the Pulumi CLI (npm run engine); install Go 1.26 or newer" >&2
fi

# npm ci only when node_modules does not match package-lock.json.
lock=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.xenstorage-lock 2>/dev/null)" != "$lock" ]; then
  npm ci --no-audit --no-fund
  echo "$lock" > node_modules/.xenstorage-lock
fi
