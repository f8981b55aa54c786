/**
 * One program evaluation with Pulumi's mocks, alone in its process so that its time and
 * peak memory are its own: `evaluate.ts empty | xenamo | clients:N`. Prints one JSON line.
 */
import * as pulumi from "@pulumi/pulumi";
import { Host } from "../../components";
import { XenStorageCluster, XenStorageClusterArgs, clusterArgsFromConfig } from "../../stacks";
import { loadStackConfig } from "../../tests/unit/stack-config";

let registered = 0;
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered += 1;
      return { id: `${args.name}-id`, state: { ...args.inputs, result: "mock", base64: "bW9jaw==" } };
    },
    call: (args) => args.inputs,
  },
  "xen-storage",
  "bench",
  true,
);

/** A generated backend: two storage hosts and `count` Xen nodes, all in 10.0.0.0/16. */
function generated(count: number): XenStorageClusterArgs {
  const host = (name: string, address: string): Host => ({
    name,
    address,
    clusterAddress: address,
    privateKey: pulumi.secret("bench-key"),
  });
  return {
    storageHosts: [host("xenamo4", "10.0.0.4"), host("xenamo5", "10.0.0.5")],
    xenNodes: Array.from({ length: count }, (_, i) =>
      host(`xen${i + 1}`, `10.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`),
    ),
    lvm: { physicalVolumes: ["/dev/sdb"], size: "10G" },
    heartbeat: { virtualIp: "10.0.0.6/16" },
  };
}

async function main(kind: string): Promise<void> {
  const resources: pulumi.Resource[] = [];
  const opts: pulumi.ComponentResourceOptions = {
    transformations: [
      (args) => {
        resources.push(args.resource);
        return undefined;
      },
    ],
  };
  if (kind === "xenamo") {
    loadStackConfig("dev");
    new XenStorageCluster("xenamo", clusterArgsFromConfig(), opts);
  } else if (kind.startsWith("clients:")) {
    new XenStorageCluster("xenamo", generated(Number(kind.slice("clients:".length))), opts);
  } else if (kind !== "empty") {
    throw new Error(`evaluate.ts: unknown program ${kind}`);
  }
  // The graph is built once every resource has its URN (and every custom resource its id).
  const urn = (r: pulumi.Resource) => (r.urn as unknown as { promise(): Promise<string> }).promise();
  await Promise.all(resources.map(urn));
  console.log(
    JSON.stringify({
      kind,
      resources: resources.length,
      registered,
      ms: performance.now(),
      maxRssKb: process.resourceUsage().maxRSS,
    }),
  );
}

main(process.argv[2] ?? "empty").then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
