/** Loads a `stacks/Pulumi.<stack>.yaml` into the Pulumi runtime's config, as the engine would. */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";

export function loadStackConfig(stack: string, extra: Record<string, unknown> = {}): void {
  const file = path.join(__dirname, "..", "..", "stacks", `Pulumi.${stack}.yaml`);
  const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...doc.config, ...extra })) {
    all[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  pulumi.runtime.setAllConfig(
    all,
    Object.keys(all).filter((k) => k.endsWith("sshPrivateKey")),
  );
}
