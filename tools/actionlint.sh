#!/usr/bin/env bash
# Lints the GitHub workflows with actionlint, built from the Go module proxy into .engine/bin.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
version=v1.7.12
bin="$repo/.engine/bin/actionlint-$version"
if [ ! -x "$bin" ]; then
  mkdir -p "$repo/.engine/bin"
  tmp=$(mktemp -d)
  GOBIN="$tmp" go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
  mv "$tmp/actionlint" "$bin"
  rm -rf "$tmp"
fi
cd "$repo"
"$bin" -color=false "$@"
