/**
 * The guardrail policy pack (policy/) with the real engine: `pulumi preview --policy-pack`
 * fires each policy on a bad production stack and passes the dev stack.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { REPO, pulumi } from "./cli";

jest.setTimeout(900_000);

const env = { PULUMI_CONFIG_PASSPHRASE: "policy-test-only" };
const created: string[] = [];
const dev = (
  yaml.load(fs.readFileSync(path.join(REPO, "stacks", "Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  }
).config;

/** A stack of the main project with the dev config and `overrides`, previewed with the policy pack. */
function previewWithPolicies(stack: string, overrides: Record<string, unknown>) {
  const file = path.join(REPO, "stacks", `Pulumi.${stack}.yaml`);
  const config = { ...dev };
  for (const [key, value] of Object.entries(overrides)) config[`xen-storage:${key}`] = value;
  fs.writeFileSync(file, yaml.dump({ config }));
  created.push(stack);
  pulumi(["stack", "init", stack, "--non-interactive"], { env });
  return pulumi(["preview", "--stack", stack, "--non-interactive", "--policy-pack", "policy"], { env });
}

afterAll(() => {
  for (const stack of created) {
    pulumi(["stack", "rm", "--yes", "--force", stack], { env });
    fs.rmSync(path.join(REPO, "stacks", `Pulumi.${stack}.yaml`), { force: true });
  }
});

const heartbeat = dev["xen-storage:heartbeat"] as Record<string, unknown>;

test("the dev stack passes", () => {
  const r = pulumi(["preview", "--stack", "dev", "--non-interactive", "--policy-pack", "policy"], {
    env: { PULUMI_CONFIG_PASSPHRASE: "xenstorage-dev-only" },
  });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("xenstorage-guardrails");
  expect(r.stdout).not.toMatch(/\[(mandatory|advisory)\]/);
});

test("a production stack with weak settings fails on every mandatory policy and warns on the advisory ones", () => {
  const r = previewWithPolicies("prod-weak", {
    drbd: { protocol: "B", splitBrain: { afterSb0Pri: "disconnect" } },
    heartbeat: {
      ...heartbeat,
      auth: { methods: ["crc", "sha1"], active: 2, allowWeak: true },
      autoFailback: true,
      keepalive: 2,
      warntime: 3,
      deadtime: 5,
      initdead: 60,
    },
    allowDataLoss: true,
  });
  const out = r.stdout + r.stderr;
  expect(r.status).not.toBe(0);
  for (const policy of [
    "fencing-enabled",
    "heartbeat-strong-auth",
    "drbd-protocol-c",
    "drbd-split-brain-policy",
    "no-data-loss",
    "no-data-loss-lvm",
  ]) {
    expect(out).toMatch(new RegExp(`\\[mandatory\\]\\s+${policy}\\s`));
  }
  for (const policy of ["heartbeat-no-auto-failback", "heartbeat-deadtime"])
    expect(out).toMatch(new RegExp(`\\[advisory\\]\\s+${policy}\\s`));
});

test("fence_manual fails in production", () => {
  const r = previewWithPolicies("prod-manual", {
    cluster: { stack: "cman", fencing: { devices: [{ name: "human", agent: "fence_manual" }] } },
  });
  expect(r.status).not.toBe(0);
  expect(r.stdout + r.stderr).toMatch(
    /\[mandatory\]\s+fencing-enabled\s[\s\S]*fence_manual waits for a human/,
  );
});

test("a production stack with real fencing and the defaults passes", () => {
  const r = previewWithPolicies("prod-good", {
    cluster: {
      fencing: { devices: [{ name: "ipmi", agent: "fence_ipmilan", parameters: { ip: "192.0.2.100" } }] },
    },
  });
  expect(r.stdout + r.stderr).not.toMatch(/\[(mandatory|advisory)\]/);
  expect(r.status).toBe(0);
});
