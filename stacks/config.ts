import * as pulumi from "@pulumi/pulumi";
import { Host } from "../components";
import { Checker } from "../components/core/checker";
import { XenStorageClusterArgs } from "./xen-storage-cluster";

/**
 * The type of each key the program reads. A value of another type is refused before any
 * component sees it, with the key's path: stack YAML gives `autoFailback: off` as the string
 * "off", which a component would have taken as true.
 */
type Kind = "string" | "number" | "boolean" | "strings" | "numbers" | "map" | Shape | [Shape];
interface Shape {
  [key: string]: Kind;
}

const HOST: Shape = {
  name: "string",
  address: "string",
  clusterAddress: "string",
  port: "number",
  user: "string",
  hostKey: "string",
};
const SECTIONS: Record<string, Shape> = {
  lvm: {
    physicalVolumes: "strings",
    volumeGroup: "string",
    name: "string",
    size: "string",
    rejectDevices: "strings",
  },
  drbd: {
    resourceName: "string",
    protocol: "string",
    version: "string",
    port: "number",
    device: "string",
    degrWfcTimeout: "number",
    onIoError: "string",
    resyncRate: "string",
    splitBrain: { afterSb0Pri: "string", afterSb1Pri: "string", afterSb2Pri: "string" },
    sharedSecret: "string",
    initialPrimary: "string",
    fencing: "string",
  },
  cluster: {
    clusterName: "string",
    stack: "string",
    fencing: {
      devices: [{ name: "string", agent: "string", parameters: "map", hosts: "strings" }],
      watchdog: { device: "string", timeout: "number" },
    },
    noQuorumPolicy: "string",
    nodeIds: "numbers",
    tokenMs: "number",
    configVersion: "number",
  },
  heartbeat: {
    virtualIp: "string",
    interface: "string",
    preferredNode: "string",
    keepalive: "number",
    warntime: "number",
    deadtime: "number",
    initdead: "number",
    udpport: "number",
    serial: "string",
    baud: "number",
    autoFailback: "boolean",
    watchdog: "string",
    auth: { methods: "strings", active: "number", allowWeak: "boolean" },
    authKey: "string",
    flavor: "string",
    engine: "string",
  },
  export: { exportName: "string", protocol: "string", port: "number" },
  ocfs2: {
    clusterName: "string",
    mountPoint: "string",
    mountOptions: "string",
    formatNode: "string",
    label: "string",
    slots: "number",
    device: "string",
    o2cbPort: "number",
    heartbeatThreshold: "number",
  },
};

/** YAML 1.1's words for true and false, which YAML 1.2 (Pulumi's reader) leaves as strings. */
const BOOLEANS: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  false: false,
  no: false,
  off: false,
};

const check = new Checker("stack config (xen-storage:)");

/** `value` as `kind` says, or a failure that names `field`. */
function typed(field: string, value: unknown, kind: Kind): unknown {
  if (value === null || value === undefined) return check.fail(field, value, describe(kind));
  switch (kind) {
    case "string":
      // YAML reads `version: 8.4` and `flavor: 2006` as numbers; they mean the text.
      if (typeof value === "number" && Number.isFinite(value)) return String(value);
      return typeof value === "string" ? value : check.fail(field, value, describe(kind));
    case "number":
      if (typeof value === "string" && /^-?[0-9]+$/.test(value)) return Number(value);
      return typeof value === "number" ? value : check.fail(field, value, describe(kind));
    case "boolean":
      if (typeof value === "boolean") return value;
      if (typeof value === "string" && value.toLowerCase() in BOOLEANS) return BOOLEANS[value.toLowerCase()];
      return check.fail(field, value, describe(kind));
    case "strings":
    case "numbers":
      return list(field, value, kind).map((v, i) => typed(`${field}[${i}]`, v, kind.slice(0, -1) as Kind));
    case "map":
      return Object.fromEntries(
        Object.entries(object(field, value, describe(kind))).map(([k, v]) => [
          k,
          typed(`${field}.${k}`, v, "string"),
        ]),
      );
    default:
      if (Array.isArray(kind))
        return list(field, value, kind).map((v, i) => typed(`${field}[${i}]`, v, kind[0]));
      return shaped(field, value, kind);
  }
}

function shaped(field: string, value: unknown, shape: Shape): Record<string, unknown> {
  const known = Object.keys(shape);
  return Object.fromEntries(
    Object.entries(object(field, value, `an object with ${known.join(", ")}`)).map(([k, v]) => {
      if (!(k in shape)) check.fail(`${field}.${k}`, v, `one of the keys ${known.join(", ")}`);
      return [k, typed(`${field}.${k}`, v, shape[k])];
    }),
  );
}

function object(field: string, value: unknown, allowed: string): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : check.fail(field, value, allowed);
}

function list(field: string, value: unknown, kind: Kind): unknown[] {
  return Array.isArray(value) ? value : check.fail(field, value, describe(kind));
}

function describe(kind: Kind): string {
  if (kind === "boolean") return "true or false (yes/no and on/off are read as true/false)";
  if (kind === "strings" || kind === "numbers") return `a list of ${kind === "strings" ? "text" : "numbers"}`;
  if (Array.isArray(kind) || typeof kind === "object") return "an object as the README's config table shows";
  return kind === "number" ? "a number" : kind === "map" ? "a map of names to text" : "text";
}

/**
 * Reads the stack config (see the README's config reference) into the cluster's arguments,
 * each value checked for its type. `sshPrivateKey` is read as a secret; without it the SSH
 * agent is used.
 */
export function clusterArgsFromConfig(config: pulumi.Config = new pulumi.Config()): XenStorageClusterArgs {
  const privateKey = config.getSecret("sshPrivateKey");
  const user = config.get("sshUser");
  const section = (key: string, required = false) => {
    const value = required ? config.requireObject<unknown>(key) : config.getObject<unknown>(key);
    return value === undefined ? undefined : shaped(key, value, SECTIONS[key]);
  };
  const scalar = (key: string, kind: Kind) => {
    const value = config.get(key);
    return value === undefined ? undefined : typed(key, value, kind);
  };
  const hosts = (key: string): Host[] =>
    (typed(key, config.requireObject<unknown>(key), [HOST]) as Record<string, string | number>[]).map(
      (h, i) => {
        if (h.name === undefined || h.address === undefined)
          check.fail(`${key}[${i}]`, h, "a host with at least name and address");
        return {
          name: h.name as string,
          address: h.address as string,
          clusterAddress: (h.clusterAddress ?? h.address) as string,
          port: h.port as number | undefined,
          user: (h.user as string | undefined) ?? user,
          hostKey: h.hostKey as string | undefined,
          privateKey,
        };
      },
    );
  return {
    flavor: scalar("flavor", "string") as XenStorageClusterArgs["flavor"],
    storageHosts: hosts("storageHosts"),
    xenNodes: hosts("xenNodes"),
    lvm: section("lvm", true) as unknown as XenStorageClusterArgs["lvm"],
    drbd: section("drbd"),
    cluster: section("cluster"),
    heartbeat: section("heartbeat", true) as unknown as XenStorageClusterArgs["heartbeat"],
    export: section("export"),
    ocfs2: section("ocfs2"),
    allowDataLoss: scalar("allowDataLoss", "boolean") as boolean | undefined,
  };
}
