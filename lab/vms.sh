#!/usr/bin/env bash
# The lab's virtual machines: real Debian 12 guests under QEMU (TCG; KVM does not work on
# these machines). Management SSH is forwarded from 127.0.0.1:2220N to xenamoN:22; the
# guests share a private storage network (192.168.77.0/24) over a QEMU socket segment, and
# the two storage hosts a serial line (ttyS1), Heartbeat's second path as in the seed.
#
#   vms.sh up        boot the lab's guests (LAB_NODES=5 by default: xenamo1-5; 3 = xenamo4, xenamo5, xenamo1)
#   vms.sh down      stop them and remove what the lab created (the image cache stays)
#   vms.sh kill N    kill xenamoN's QEMU process at once (a crash)
#   vms.sh pause N   stop xenamoN's QEMU process (SIGSTOP: a hung host); vms.sh resume N continues it
#   vms.sh boot N    boot xenamoN again (keeping its disks); waits for it if its QEMU still runs
#   vms.sh ssh N CMD run CMD on xenamoN as root
#   vms.sh nodes     list the lab's node names
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
state="${XENSTORAGE_LAB_STATE:-$repo/.lab}"
nodes_count="${LAB_NODES:-5}"
mcast_port="${LAB_MCAST_PORT:-23777}"
memory="${LAB_MEMORY:-768}"
serial_port="${LAB_SERIAL_PORT:-23778}"

nodes() {
  case "$nodes_count" in
    5) echo "xenamo4 xenamo5 xenamo1 xenamo2 xenamo3" ;;
    4) echo "xenamo4 xenamo5 xenamo1 xenamo2" ;;
    3) echo "xenamo4 xenamo5 xenamo1" ;;
    *) echo "vms.sh: LAB_NODES must be 3, 4 or 5" >&2; exit 2 ;;
  esac
}
num() { echo "${1#xenamo}"; }
port() { echo $((22200 + $(num "$1"))); }
is_storage() { [ "$1" = xenamo4 ] || [ "$1" = xenamo5 ]; }

# Commands share one SSH connection per guest (started on first use, kept 10 minutes): a new
# connection costs an emulated guest a key exchange, seconds of its CPU when it is loaded.
# While there is none (a guest booting, or just killed), a command connects by itself.
ssh_node() {
  local name=$1; shift
  local opts=(-F /dev/null -i "$state/id_ed25519" -p "$(port "$name")" -o BatchMode=yes -o ConnectTimeout=30
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$state/known_hosts" -o HostKeyAlias="$name"
    -o LogLevel=ERROR -o ControlPath="$state/$name.ssh")
  ssh "${opts[@]}" -O check root@127.0.0.1 2>/dev/null ||
    ssh "${opts[@]}" -o ControlMaster=yes -o ControlPersist=600 -fN root@127.0.0.1 </dev/null >/dev/null 2>&1 || :
  ssh "${opts[@]}" -o ControlMaster=no root@127.0.0.1 -- "$@"
}

prepare() {
  local name=$1 dir="$state/$1"
  mkdir -p "$dir/seed"
  [ -f "$dir/seed/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N "" -C "$name" -f "$dir/seed/ssh_host_ed25519_key"
  echo "$name" > "$dir/seed/hostname"
  echo "192.168.77.$(num "$name")" > "$dir/seed/cluster_address"
  cp "$state/id_ed25519.pub" "$dir/seed/authorized_keys"
  for n in 1 2 3 4 5; do echo "192.168.77.$n xenamo$n"; done > "$dir/seed/hosts"
  rm -f "$dir/seed.img"
  mkfs.ext4 -q -F -L labseed -d "$dir/seed" "$dir/seed.img" 4M >&2
  [ -f "$dir/root.qcow2" ] || qemu-img create -q -f qcow2 -F raw -b "$image/root.img" "$dir/root.qcow2"
  if is_storage "$name" && [ ! -f "$dir/disk.raw" ]; then truncate -s 192M "$dir/disk.raw"; fi
  echo "$name $(cut -d' ' -f1-2 "$dir/seed/ssh_host_ed25519_key.pub")" >> "$state/known_hosts.new"
}

boot() {
  local name=$1 dir="$state/$1" n
  n=$(num "$name")
  local disks=(-drive "file=$dir/root.qcow2,if=virtio,cache=unsafe")
  local serial=()
  if is_storage "$name"; then
    disks+=(-drive "file=$dir/disk.raw,if=virtio,format=raw,cache=writeback")
    # The seed's null-modem cable between the storage hosts (ttyS1): Heartbeat's second path.
    local end="server=on,wait=off"
    [ "$name" = xenamo5 ] && end="reconnect=1"
    serial=(-chardev "socket,id=nullmodem,host=127.0.0.1,port=$serial_port,$end" -device "isa-serial,chardev=nullmodem")
  fi
  disks+=(-drive "file=$dir/seed.img,if=virtio,format=raw,readonly=on")
  # No default devices (VGA, floppy, CD-ROM, parallel port) and no drivers for them or for
  # KVM: each module the guest loads at boot costs it seconds of emulated CPU.
  qemu-system-x86_64 -name "$name" -nodefaults -accel tcg,thread=multi -cpu max -smp 1 -m "$memory" \
    -display none -serial "file:$dir/serial.log" -monitor none -daemonize -pidfile "$dir/qemu.pid" \
    -device i6300esb -action watchdog=reset \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 net.ifnames=0 quiet systemd.show_status=0 mitigations=off modprobe.blacklist=kvm,kvm_amd,kvm_intel,ccp,pcspkr" \
    "${disks[@]}" "${serial[@]}" \
    -netdev "user,id=mgmt,restrict=on,hostfwd=tcp:127.0.0.1:$(port "$name")-:22" \
    -device "virtio-net-pci,netdev=mgmt,mac=52:54:00:00:00:0$n" \
    -netdev "socket,id=storage,mcast=230.0.0.1:$mcast_port,localaddr=127.0.0.1" \
    -device "virtio-net-pci,netdev=storage,mac=52:54:00:77:00:0$n"
}

wait_ssh() {
  local name=$1 deadline=$((SECONDS + ${LAB_BOOT_TIMEOUT:-900}))
  until ssh_node "$name" true 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "vms.sh: $name did not answer on SSH; last console lines:" >&2
      tail -20 "$state/$name/serial.log" >&2 || :
      exit 1
    fi
    sleep 3
  done
}

case "${1:-}" in
  up)
    image=$(bash "$here/image.sh")
    if [ ! -f "$image/root.img" ]; then
      echo "vms.sh: lab/image.sh printed '$image', which is not an image directory" >&2
      exit 1
    fi
    mkdir -p "$state"
    [ -f "$state/id_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C xenstorage-lab -f "$state/id_ed25519"
    rm -f "$state/known_hosts.new"
    for name in $(nodes); do prepare "$name"; done
    mv "$state/known_hosts.new" "$state/known_hosts"
    echo "$image" > "$state/image"
    start=$SECONDS
    for name in $(nodes); do
      if [ -f "$state/$name/qemu.pid" ] && kill -0 "$(cat "$state/$name/qemu.pid")" 2>/dev/null; then continue; fi
      boot "$name"
    done
    for name in $(nodes); do wait_ssh "$name"; done
    echo "lab: $(nodes | wc -w) guests up in $((SECONDS - start)) s"
    ;;
  down)
    pids=$(cat "$state"/xenamo*/qemu.pid 2>/dev/null || :)
    for pid in $pids; do kill "$pid" 2>/dev/null || :; done
    # A QEMU still exiting holds the lab's ports; the next `up` must find them free.
    for _ in $(seq 40); do
      alive=$(for pid in $pids; do if kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi; done)
      [ -z "$alive" ] && break
      sleep 0.5
    done
    for pid in $alive; do kill -9 "$pid" 2>/dev/null || :; done
    rm -rf "$state"
    ;;
  kill)
    name=xenamo$2
    pid=$(cat "$state/$name/qemu.pid")
    kill -9 "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    ;;
  pause | resume)
    name=xenamo$2
    kill "-$([ "$1" = pause ] && echo STOP || echo CONT)" "$(cat "$state/$name/qemu.pid")"
    ;;
  boot)
    name=xenamo$2
    image=$(cat "$state/image")
    # A guest its watchdog reset is still running in its QEMU: wait for it instead.
    pid=$(cat "$state/$name/qemu.pid" 2>/dev/null || :)
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then boot "$name"; fi
    wait_ssh "$name"
    ;;
  ssh)
    name=xenamo$2; shift 2
    ssh_node "$name" "$@"
    ;;
  nodes) nodes ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
