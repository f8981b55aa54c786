#!/usr/bin/env bash
# Points the `lab` stack at the running guests: the lab's SSH key (a secret) and each
# guest's host key (pinned). With LAB_NODES below 5, the Xen nodes not booted are left out.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
state="${XENSTORAGE_LAB_STATE:-$repo/.lab}"
config() { bash "$repo/tools/pulumi.sh" config --stack lab "$@" >/dev/null; }

config set --secret sshPrivateKey -- "$(cat "$state/id_ed25519")"
booted=$(bash "$here/vms.sh" nodes)
i=0
for name in xenamo4 xenamo5; do
  config set --path "storageHosts[$i].hostKey" -- "$(cut -d' ' -f1-2 "$state/$name/seed/ssh_host_ed25519_key.pub")"
  i=$((i + 1))
done
i=0
for name in xenamo1 xenamo2 xenamo3; do
  if [[ " $booted " == *" $name "* ]]; then
    config set --path "xenNodes[$i].hostKey" -- "$(cut -d' ' -f1-2 "$state/$name/seed/ssh_host_ed25519_key.pub")"
    i=$((i + 1))
  else
    config rm --path "xenNodes[$i]"
  fi
done
