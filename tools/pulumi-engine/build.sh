#!/usr/bin/env bash
# npm run engine: builds the Pulumi engine this repository runs into .engine/ (ignored), all
# of it Pulumi's own code compiled with Go:
#   .engine/bin/pulumi                   the CLI, github.com/pulumi/pulumi/pkg/v3 (Go module proxy);
#   .engine/bin/pulumi-language-nodejs   the Node.js language host      } from their upstream source in
#   .engine/bin/pulumi-resource-command  @pulumi/command's provider     } ../shared/vendor (the proxy
#   .engine/bin/pulumi-resource-random   @pulumi/random's provider      } refuses these modules).
# Each is rebuilt only when its source, its pins or Go changed (stamps in .engine/); Go's
# module and build caches make a rebuild fast. XENSTORAGE_PULUMI_VENDOR overrides where the
# vendored source is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$repo/.engine"
vendor=$(realpath -m "${XENSTORAGE_PULUMI_VENDOR:-$repo/../shared/vendor}")
mkdir -p "$out/bin" "$out/src"

stamp() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum; go version) | sha256sum | cut -d' ' -f1; }
current() { [ -x "$out/bin/$1" ] && [ -f "$out/$1.stamp" ] && [ "$(cat "$out/$1.stamp")" = "$2" ]; }

if ! command -v go >/dev/null 2>&1; then
  echo "engine: Go is needed to build the Pulumi CLI and its plugins; install Go 1.26 or newer" >&2
  exit 1
fi

cli_pins=$( (cat "$here/go.mod" "$here/go.sum"; go version) | sha256sum | cut -d' ' -f1)
if current pulumi "$cli_pins"; then
  echo "engine: pulumi CLI is up to date"
else
  version=$(grep -oE 'github.com/pulumi/pulumi/pkg/v3 v[0-9.]+' "$here/go.mod" | cut -d' ' -f2)
  echo "engine: building the pulumi CLI $version from source (first build: several minutes)"
  (cd "$here" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$out/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  echo "$cli_pins" > "$out/pulumi.stamp"
fi

if [ ! -f "$vendor/README.md" ]; then
  cat >&2 <<EOF
engine: the upstream source of Pulumi's plugins is not at $vendor
  (set XENSTORAGE_PULUMI_VENDOR to where it is). Without it, install Pulumi the ordinary way
  on a machine with internet access: Pulumi's installer or the \`pulumi\` npm package, then
  \`pulumi plugin install resource command 1.2.1\` and \`pulumi plugin install resource random 4.21.2\`
  (the language host ships with the CLI). tools/pulumi.sh prefers a \`pulumi\` on PATH.
EOF
  exit 1
fi

# plugin BINARY SOURCE PINS VERSION_VAR VERSION: copies the upstream source (read-only in
# ../shared) into .engine/src, lays the pinned go.mod/go.sum over it, and builds BINARY.
plugin() {
  local binary=$1 source=$2 pins=$3 version_var=$4 version=$5
  local src="$out/src/$binary" pins_dir="$vendor/pins/$pins"
  local pin
  pin=$( (stamp "$vendor/$source"; if [ -d "$pins_dir" ]; then stamp "$pins_dir"; fi) | sha256sum | cut -d' ' -f1)
  if current "$binary" "$pin"; then
    echo "engine: $binary is up to date"
    return
  fi
  echo "engine: building $binary $version from $vendor/$source"
  rm -rf "$src"
  cp -R "$vendor/$source" "$src"
  chmod -R u+w "$src"
  if [ -d "$pins_dir" ]; then cp "$pins_dir/go.mod" "$pins_dir/go.sum" "$src/"; fi
  if [ "$binary" = pulumi-resource-random ]; then
    # Upstream's `make` step: embed the schema with the version stamped in.
    (cd "$src/cmd/pulumi-resource-random" && VERSION=$version go run generate.go)
  fi
  local package=.
  [ -d "$src/cmd/$binary" ] && package="./cmd/$binary"
  (cd "$src" && go build -trimpath -ldflags "-s -w -X $version_var=$version" -o "$out/bin/$binary" "$package")
  echo "$pin" > "$out/$binary.stamp"
}

plugin pulumi-language-nodejs pulumi-language-nodejs pulumi-language-nodejs \
  github.com/pulumi/pulumi/sdk/v3/go/common/version.Version v3.259.0
plugin pulumi-resource-command pulumi-command/provider pulumi-command \
  github.com/pulumi/pulumi-command/provider/pkg/version.Version 1.2.1
plugin pulumi-resource-random pulumi-random/provider pulumi-random \
  github.com/pulumi/pulumi-random/provider/v4/pkg/version.Version 4.21.2
# Left by the substitutes that earlier versions of this script built.
rm -rf "$out/lib" "$out/bin/pulumi-analyzer-policy" "$out/cli.stamp" "$out/plugins.stamp"
