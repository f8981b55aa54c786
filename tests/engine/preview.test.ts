/**
 * The real engine (the CLI built by `npm run engine`, the language host and the providers)
 * previews the dev stacks: exactly the resources the mocked graph has, no error, and no
 * network (the test runs the preview in a network namespace with only loopback).
 */
import * as pulumi from "@pulumi/pulumi";
import { XenStorageCluster, clusterArgsFromConfig } from "../../stacks";
import { Recorder, installMocks } from "../unit/harness";
import { loadStackConfig } from "../unit/stack-config";
import { REPO, pulumi as cli, resourcesOf } from "./cli";
import { spawnSync } from "child_process";

jest.setTimeout(600_000);
beforeAll(installMocks);

function mockedGraph(stack: string): string[] {
  loadStackConfig(stack, { "xen-storage:sshPrivateKey": "KEY" });
  const rec = new Recorder();
  new XenStorageCluster("xenamo", clusterArgsFromConfig(new pulumi.Config("xen-storage")), rec.opts);
  return rec.registered.map((r) => `${r.type}::${r.name}`);
}

describe.each(["dev", "dev-2006"])("pulumi preview --stack %s", (stack) => {
  test("plans every component and remote command of the five hosts, with no error", () => {
    const r = cli(["preview", "--stack", stack, "--non-interactive", "--json"]);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
    const planned = resourcesOf(JSON.parse(r.stdout));
    expect(planned.sort()).toEqual(mockedGraph(stack).sort());
    const commands = planned.filter((p) => p.startsWith("command:remote:Command::"));
    for (const n of [1, 2, 3, 4, 5]) expect(commands.some((c) => c.includes(`-xenamo${n}-`))).toBe(true);
  });
});

test("the dev preview needs no network", () => {
  const r = spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up && npm run --silent preview"], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 300_000,
  });
  expect(r.status).toBe(0);
  // Every resource of the mocked graph, plus the stack itself.
  expect(r.stdout).toContain(`+ ${mockedGraph("dev").length + 1} to create`);
});
