import { execFileSync } from "child_process";
import * as path from "path";
import * as yaml from "js-yaml";

/**
 * `npm run lab` writes one lab's host keys and SSH key into stacks/Pulumi.lab.yaml and the lab
 * tests change settings in it; `lab:down` restores the file from git. Committed with them, the
 * next lab would deploy the changed settings from the start, and the update test would change
 * nothing (it once passed that way). So the committed file is read, not the working copy, which
 * a running lab changes.
 */
test("stacks/Pulumi.lab.yaml holds no values of one lab: no host keys, no SSH key, the settings the update test changes", () => {
  const text = execFileSync("git", ["show", "HEAD:stacks/Pulumi.lab.yaml"], {
    cwd: path.join(__dirname, "..", ".."),
    encoding: "utf8",
  });
  expect(text).not.toMatch(/hostKey:|sshPrivateKey:/);
  const config = (yaml.load(text) as { config: Record<string, Record<string, unknown>> }).config;
  expect(config["xen-storage:heartbeat"].deadtime).not.toBe(12);
  expect(config["xen-storage:drbd"].resyncRate).not.toBe("30M");
  expect(config["xen-storage:export"].port).toBeUndefined();
});
