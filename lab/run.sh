#!/usr/bin/env bash
# npm run lab: boots the lab, runs `pulumi up --stack lab` with the engine, prints the
# stack outputs and a health summary. Timings go to .lab/timings.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
t0=$SECONDS
bash tools/setup.sh
bash tools/pulumi-engine/build.sh
bash "$here/vms.sh" up
t1=$SECONDS
bash "$here/configure.sh"
bash tools/pulumi.sh up --stack lab --yes --skip-preview --non-interactive
t2=$SECONDS
bash tools/pulumi.sh stack output --stack lab
echo
bash "$here/health.sh"
echo
echo "lab: engine + image + boot $((t1 - t0)) s, pulumi up $((t2 - t1)) s" | tee -a .lab/timings
