/**
 * Every step that can destroy data (create-md, forced primary, mkfs, lvremove, vgremove,
 * pvremove, wipefs, wipe-md) runs only behind a probe, and a delete runs one only with
 * allowDataLoss: true. The probes themselves are exercised for real in tests/host.
 */
import * as pulumi from "@pulumi/pulumi";
import { XenStorageCluster, clusterArgsFromConfig } from "../../stacks";
import { Recorder, installMocks, scripts } from "./harness";
import { loadStackConfig } from "./stack-config";

beforeAll(installMocks);

const DESTRUCTIVE =
  /create-md|primary --force|do-what-I-say|mkfs\.|lvremove|vgremove|pvremove|wipefs|wipe-md/;

async function allScripts(allowDataLoss: boolean) {
  loadStackConfig("dev", { "xen-storage:sshPrivateKey": "KEY", "xen-storage:allowDataLoss": allowDataLoss });
  const rec = new Recorder();
  new XenStorageCluster("xenamo", clusterArgsFromConfig(new pulumi.Config("xen-storage")), rec.opts);
  return Promise.all(rec.commands().map(async (c) => ({ name: c.name, ...(await scripts(c)) })));
}

test("by default no delete destroys data", async () => {
  for (const s of await allScripts(false))
    expect({ name: s.name, delete: s.delete ?? "" }).not.toMatchObject({
      delete: expect.stringMatching(DESTRUCTIVE),
    });
});

test("with allowDataLoss, delete removes the volume and wipes the DRBD metadata", async () => {
  const deletes = (await allScripts(true)).map((s) => s.delete ?? "").join("\n");
  expect(deletes).toContain("lvremove");
  expect(deletes).toContain("wipe-md");
  expect(deletes).not.toMatch(/mkfs|wipefs/);
});

test("each destructive create runs behind its probe", async () => {
  const creates = await allScripts(false);
  const destructive = creates.filter((s) => DESTRUCTIVE.test(s.create));
  expect(destructive.map((s) => s.name.replace(/xenamo\d/, "N")).sort()).toEqual(
    [
      "xenamo-drbd-N-metadata",
      "xenamo-drbd-N-metadata",
      "xenamo-drbd-initial-primary",
      "xenamo-ocfs2-N-format",
    ].sort(),
  );
  for (const s of destructive) {
    if (s.name.endsWith("-metadata")) {
      expect(s.create).toMatch(
        /dump-md .*then echo .*already done.*else[\s\S]*refusing create-md[\s\S]*create-md/,
      );
      expect(s.create).not.toContain("wipefs");
    }
    if (s.name.endsWith("-initial-primary"))
      expect(s.create).toMatch(/Inconsistent\/Inconsistent\) drbdadm primary --force/);
    if (s.name.endsWith("-format"))
      expect(s.create).toMatch(/blkid -p[\s\S]*''\) mkfs\.ocfs2[\s\S]*refusing to format/);
  }
});
