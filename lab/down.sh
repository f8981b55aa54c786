#!/usr/bin/env bash
# npm run lab:down: stops the guests, removes the lab's state and the lab stack's state,
# and takes the per-lab key and host keys out of stacks/Pulumi.lab.yaml again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
bash "$here/vms.sh" down
if [ -x .engine/bin/pulumi ] || command -v pulumi >/dev/null; then
  # A deploy killed midway leaves the stack locked; the lab and its stack go away together.
  rm -rf .pulumi/.pulumi/locks/*/*/lab
  bash tools/pulumi.sh stack rm --yes --force --preserve-config --stack lab >/dev/null 2>&1 || :
fi
git checkout -- stacks/Pulumi.lab.yaml 2>/dev/null || :
