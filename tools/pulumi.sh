#!/usr/bin/env bash
# Runs the Pulumi CLI for this repository: a `pulumi` already on PATH when there is one,
# otherwise the one `npm run engine` built into .engine/bin. State lives in a local
# backend inside the repository (.pulumi/, ignored); no Pulumi Cloud account is used.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

if ! command -v pulumi >/dev/null 2>&1 || [ "$(command -v pulumi)" = "$repo/.engine/bin/pulumi" ]; then
  if [ ! -x "$repo/.engine/bin/pulumi" ]; then
    echo "pulumi: no Pulumi CLI on PATH and none built; run 'npm run engine' first" >&2
    exit 1
  fi
  export PATH="$repo/.engine/bin:$PATH"
  # Only the plugins on PATH: nothing is downloaded.
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
fi

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$repo/.pulumi}"
export PULUMI_HOME="${PULUMI_HOME:-$repo/.pulumi/home}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
mkdir -p "$repo/.pulumi"

# The dev and lab stacks' secrets are encrypted with this published passphrase: they hold
# nothing of value. Real stacks set PULUMI_CONFIG_PASSPHRASE (or another secrets provider).
stack=""
for arg in "$@"; do case "$arg" in --stack=*) stack=${arg#--stack=} ;; esac; done
prev=""
for arg in "$@"; do [ "$prev" = "--stack" ] || [ "$prev" = "-s" ] && stack=$arg; prev=$arg; done
case "$stack" in
  dev | dev-2006 | lab)
    export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-xenstorage-dev-only}"
    # The repository's own stacks exist in every fresh clone's local backend.
    [ "${1:-}" = "stack" ] || pulumi stack select --create "$stack" >/dev/null
    ;;
esac
exec pulumi "$@"
