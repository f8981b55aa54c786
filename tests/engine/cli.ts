/** Runs the repository's Pulumi CLI (tools/pulumi.sh) for the engine tests. */
import { spawnSync } from "child_process";
import * as path from "path";

export const REPO = path.join(__dirname, "..", "..");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function pulumi(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): CliResult {
  const r = spawnSync("bash", [path.join(REPO, "tools", "pulumi.sh"), ...args], {
    cwd: options.cwd ?? REPO,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: "utf8",
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** `type::name` of every resource a preview or update reports, without the stack and providers. */
export function resourcesOf(json: { steps: { urn: string }[] }): string[] {
  return json.steps
    .map((s) => {
      const [, , typeChain, name] = s.urn.split("::");
      return `${typeChain.split("$").pop()}::${name}`;
    })
    .filter((r) => !r.startsWith("pulumi:"));
}
