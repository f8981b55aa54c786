#!/usr/bin/env bash
# Builds the lab's guest image once and caches it (per release and recipe hash): Debian 13
# (trixie) by default, Debian 12 (bookworm) with LAB_DEBIAN=12.
#   root.img   ext4 root filesystem (debootstrap minbase + the packages the components use)
#   vmlinuz, initrd.img   the real Debian kernel (drbd, nbd, dm, configfs, ocfs2 modules) and its initramfs
# Prints the image directory, and nothing else, on standard output: its caller reads it as
# a value. Every tool's output goes to standard error (mkfs.ext4, for one, says "Creating
# regular file ..." on standard output, -q or not); only the result is written to fd 3.
set -euo pipefail
exec 3>&1 1>&2
here=$(cd "$(dirname "$0")" && pwd)
cache="${XENSTORAGE_LAB_CACHE:-$HOME/.cache/xenstorage-lab}"
mirror="${XENSTORAGE_LAB_MIRROR:-http://deb.debian.org/debian}"
release="${LAB_DEBIAN:-13}"
case "$release" in
  13) suite=trixie ;;
  12) suite=bookworm ;;
  *) echo "lab: LAB_DEBIAN=$release is not a release the lab builds; use 13 (the default) or 12" >&2; exit 2 ;;
esac
recipe=$(cat "$here/image.sh" "$here"/guest/* | sha256sum | cut -c1-12)
image="$cache/image-debian$release-$recipe"
if [ -f "$image/root.img" ]; then echo "$image" >&3; exit 0; fi

mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'umount -R "$work/rootfs/proc" 2>/dev/null || :; rm -rf "$work"' EXIT
packages=(
  systemd systemd-sysv udev kmod iproute2 procps psmisc openssh-server
  linux-image-amd64 initramfs-tools e2fsprogs util-linux
  lvm2 drbd-utils heartbeat nbd-server nbd-client ocfs2-tools corosync pacemaker pacemaker-cli-utils
  resource-agents sbd nftables
)
echo "lab: debootstrap $suite (Debian $release) into $work (a few minutes)"
debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -30 "$work/debootstrap.log"; exit 1; }

root="$work/rootfs"
install -m 755 "$here/guest/lab-seed.sh" "$root/usr/local/sbin/lab-seed"
install -m 644 "$here/guest/lab-seed.service" "$root/etc/systemd/system/lab-seed.service"
echo "/dev/vda / ext4 defaults,noatime 0 1" > "$root/etc/fstab"
rm -f "$root"/etc/ssh/ssh_host_*
# Pulumi's command provider opens one SSH connection per remote command. With PAM, every
# login waited about 6 s in pam_systemd for a logind the minimal guest cannot reach; keys
# need no PAM. Without PAM, sshd refuses a locked account, so root gets no password ("*")
# instead of a locked one.
cat > "$root/etc/ssh/sshd_config.d/lab.conf" <<'CONF'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
HostKey /etc/ssh/ssh_host_ed25519_key
CONF
chroot "$root" sh -ec '
  systemctl enable lab-seed.service ssh.service
  # What the library starts itself must not start at boot with the packages defaults.
  for s in heartbeat corosync pacemaker sbd nbd-server drbd o2cb ocfs2; do systemctl disable $s 2>/dev/null || :; done
  # Units that only slow a TCG boot down (the update-done ones run on a first boot).
  for u in e2scrub_reap.service e2scrub_all.timer apt-daily.timer apt-daily-upgrade.timer man-db.timer \
           fstrim.timer systemd-timesyncd.service getty@tty1.service lvm2-monitor.service \
           systemd-networkd-wait-online.service ldconfig.service \
           systemd-journal-catalog-update.service systemd-update-done.service systemd-hwdb-update.service; do systemctl mask $u 2>/dev/null || :; done
  usermod -p "*" root
'
# The guests' watchdog (vms.sh gives each an i6300esb): loaded at boot, before sbd needs it.
echo i6300esb > "$root/etc/modules-load.d/lab-watchdog.conf"
cp "$root"/boot/vmlinuz-* "$work/vmlinuz"
cp "$root"/boot/initrd.img-* "$work/initrd.img"
echo "lab: making the root filesystem image"
mkfs.ext4 -q -F -L labroot -d "$root" "$work/root.img" 2G
mkdir -p "$image"
mv "$work/root.img" "$work/vmlinuz" "$work/initrd.img" "$image/"
echo "$image" >&3
