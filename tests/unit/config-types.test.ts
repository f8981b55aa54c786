/**
 * Stack config is typed: every value clusterArgsFromConfig reads is checked for its type
 * before any component sees it. YAML 1.1's yes/no/on/off in a boolean field are read as
 * meant; anything else of the wrong type is refused with the key's path.
 */
import * as pulumi from "@pulumi/pulumi";
import { XenStorageCluster, clusterArgsFromConfig } from "../../stacks";
import { installMocks, refusal } from "./harness";
import { loadStackConfig } from "./stack-config";

beforeAll(installMocks);

const DEV = {
  "xen-storage:heartbeat": { virtualIp: "10.0.0.6/24" },
};
const read = (extra: Record<string, unknown>) => {
  loadStackConfig("dev", extra);
  return clusterArgsFromConfig(new pulumi.Config("xen-storage"));
};

test.each(["dev", "dev-2006", "lab"])("Pulumi.%s.yaml reads without a complaint", (stack) => {
  loadStackConfig(stack);
  expect(() => clusterArgsFromConfig(new pulumi.Config("xen-storage"))).not.toThrow();
});

test.each([
  ["off", false],
  ["no", false],
  ["false", false],
  ["Off", false],
  ["on", true],
  ["yes", true],
  [true, true],
  [false, false],
])("heartbeat.autoFailback %j is read as %s", (written, meant) => {
  const args = read({ "xen-storage:heartbeat": { ...DEV["xen-storage:heartbeat"], autoFailback: written } });
  expect(args.heartbeat.autoFailback).toBe(meant);
});

test("YAML's numbers in text fields are the text they spell (drbd.version 8.4, flavor 2006)", () => {
  const args = read({ "xen-storage:drbd": { version: 8.4 }, "xen-storage:flavor": 2006 });
  expect(args.drbd?.version).toBe("8.4");
  expect(args.flavor).toBe("2006");
});

test("allowDataLoss yes is true", () => {
  expect(read({ "xen-storage:allowDataLoss": "yes" }).allowDataLoss).toBe(true);
});

const bad: [label: string, extra: Record<string, unknown>, field: string, value: string, allowed: RegExp][] =
  [
    [
      "autoFailback maybe",
      { "xen-storage:heartbeat": { virtualIp: "10.0.0.6/24", autoFailback: "maybe" } },
      "heartbeat.autoFailback",
      '"maybe"',
      /true or false/,
    ],
    ["allowDataLoss 2", { "xen-storage:allowDataLoss": "2" }, "allowDataLoss", '"2"', /true or false/],
    [
      "a null Xen node (- ~)",
      { "xen-storage:xenNodes": [{ name: "xenamo1", address: "10.0.0.1" }, null] },
      "xenNodes[1]",
      "null",
      /an object/,
    ],
    [
      "a Xen node without an address",
      { "xen-storage:xenNodes": [{ name: "xenamo1" }] },
      "xenNodes[0]",
      '{"name":"xenamo1"}',
      /at least name and address/,
    ],
    [
      "deadtime in words",
      { "xen-storage:heartbeat": { virtualIp: "10.0.0.6/24", deadtime: "ten" } },
      "heartbeat.deadtime",
      '"ten"',
      /a number/,
    ],
    [
      "a list for the LV size",
      { "xen-storage:lvm": { physicalVolumes: ["/dev/sdb"], size: ["10G"] } },
      "lvm.size",
      '["10G"]',
      /text/,
    ],
    [
      "a misspelt key",
      { "xen-storage:heartbeat": { virtualIp: "10.0.0.6/24", deadTime: 30 } },
      "heartbeat.deadTime",
      "30",
      /one of the keys virtualIp, interface/,
    ],
    [
      "a text for the fence devices",
      { "xen-storage:cluster": { fencing: { devices: "ipmi" } } },
      "cluster.fencing.devices",
      '"ipmi"',
      /an object/,
    ],
    [
      "a number as a fence parameter map",
      {
        "xen-storage:cluster": {
          fencing: { devices: [{ name: "ipmi", agent: "fence_ipmilan", parameters: 3 }] },
        },
      },
      "cluster.fencing.devices[0].parameters",
      "3",
      /a map of names to text/,
    ],
  ];

test.each(bad)(
  "%s: refused with the key's path before anything is built",
  async (_l, extra, field, value, allowed) => {
    const { error, atConstruction, sent } = await refusal(() => new XenStorageCluster("x", read(extra)));
    expect(error).toBeInstanceOf(pulumi.ResourceError);
    expect(error!.message).toContain(`stack config (xen-storage:): ${field} is ${value}; expected `);
    expect(error!.message).toMatch(allowed);
    expect(atConstruction).toBe(true);
    expect(sent).toEqual([]);
  },
);
