#!/usr/bin/env bash
# The lab's health summary: DRBD on both storage hosts, who holds the virtual IP, the
# export seen from each Xen node, and OCFS2 mounted there. Exits non-zero when unhealthy.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vm() { bash "$here/vms.sh" ssh "${1#xenamo}" "${@:2}" 2>/dev/null; }
vip=192.168.77.6
healthy=0
printf '%-8s %-10s %-22s %-10s %s\n' host role "disks (local/peer)" connection "virtual IP"
for h in xenamo4 xenamo5; do
  role=$(vm $h drbdadm role cluster | cut -d/ -f1)
  disks=$(vm $h drbdadm dstate cluster)
  cs=$(vm $h drbdadm cstate cluster)
  holds=no; vm $h ip -o -4 addr show dev eth1 | grep -q " $vip/" && holds=yes
  printf '%-8s %-10s %-22s %-10s %s\n' $h "${role:-?}" "${disks:-?}" "${cs:-?}" $holds
  [ "$disks" = UpToDate/UpToDate ] && [ "$cs" = Connected ] || healthy=1
done
printf '\n%-8s %-18s %s\n' node "export (path)" "OCFS2 on /srv/xen"
for h in $(bash "$here/vms.sh" nodes); do
  case $h in xenamo4 | xenamo5) continue ;; esac
  imported=no; vm $h dmsetup status xenstorage-ocfscluster | grep -q " A 0 $" && imported=yes
  mounted=no; vm $h mountpoint -q /srv/xen && mounted=yes
  printf '%-8s %-18s %s\n' $h $imported $mounted
  [ $imported = yes ] && [ $mounted = yes ] || healthy=1
done
exit $healthy
