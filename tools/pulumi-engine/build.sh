#!/usr/bin/env bash
# npm run engine: builds the Pulumi engine this repository runs into .engine/ (ignored):
#   .engine/bin/pulumi                   the Pulumi CLI, built from github.com/pulumi/pulumi/pkg/v3 (Go);
#   .engine/bin/pulumi-language-nodejs   the Node.js language host   } substitutes written here, because
#   .engine/bin/pulumi-resource-command  @pulumi/command's provider  } the Go module proxy refuses the
#   .engine/bin/pulumi-resource-random   @pulumi/random's provider   } originals (see README, "The engine");
#   .engine/bin/pulumi-analyzer-policy   runs policy packs with the SDK's runner.
# Each part is rebuilt only when it is missing or its pins changed; Go's module and build
# caches make a rebuild after a pin change fast.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out="$repo/.engine"
mkdir -p "$out/bin" "$out/lib"

stamp() { cat "$@" | sha256sum | cut -d' ' -f1; }
current() { [ -f "$out/$1.stamp" ] && [ "$(cat "$out/$1.stamp")" = "$2" ]; }

cli_pins=$(stamp "$here/go.mod" "$here/go.sum" <(go version))
if [ -x "$out/bin/pulumi" ] && current cli "$cli_pins"; then
  echo "engine: pulumi CLI is up to date"
else
  version=$(grep -oE 'github.com/pulumi/pulumi/pkg/v3 v[0-9.]+' "$here/go.mod" | cut -d' ' -f2)
  echo "engine: building the pulumi CLI $version from source (first build: several minutes)"
  (cd "$here" && go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$out/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  echo "$cli_pins" > "$out/cli.stamp"
fi

plugin_pins=$(stamp "$here"/src/*.ts "$here/tsconfig.json" "$repo/package-lock.json")
if current plugins "$plugin_pins" && [ -x "$out/bin/pulumi-resource-command" ]; then
  echo "engine: plugins are up to date"
else
  echo "engine: building the language host and the command and random providers"
  (cd "$repo" && npx tsc -p "$here/tsconfig.json")
  for plugin in pulumi-language-nodejs:language-host pulumi-resource-command:command-provider pulumi-resource-random:random-provider; do
    printf '#!/bin/sh\nexec node "$(dirname "$0")/../lib/%s.js" "$@"\n' "${plugin#*:}" > "$out/bin/${plugin%%:*}"
    chmod 755 "$out/bin/${plugin%%:*}"
  done
  # Policy packs: the CLI starts `pulumi-analyzer-policy` in the pack's directory, and it
  # runs the SDK's own policy-pack runner (as the script in Pulumi's distribution does).
  cat > "$out/bin/pulumi-analyzer-policy" <<'SCRIPT'
#!/bin/sh
exec node "$(node -p 'require.resolve("@pulumi/pulumi/cmd/run-policy-pack")')" "$@"
SCRIPT
  chmod 755 "$out/bin/pulumi-analyzer-policy"
  echo "$plugin_pins" > "$out/plugins.stamp"
fi
