import * as pulumi from "@pulumi/pulumi";

type DependsOn = pulumi.ComponentResourceOptions["dependsOn"];

/**
 * Options for a component's child: parented to the component and ordered after what the
 * component itself was asked to wait for (a component's `dependsOn` does not reach its
 * children by itself), plus the child's own local dependencies.
 * @internal
 */
export function childOf(
  parent: pulumi.Resource,
  upstream: DependsOn,
  ...local: (pulumi.Resource | undefined)[]
): pulumi.CustomResourceOptions {
  const own = local.filter((r): r is pulumi.Resource => r !== undefined);
  if (upstream === undefined) return { parent, dependsOn: own };
  if (Array.isArray(upstream)) return { parent, dependsOn: [...upstream, ...own] };
  if (pulumi.Resource.isInstance(upstream)) return { parent, dependsOn: [upstream, ...own] };
  const merged = pulumi
    .output(upstream as pulumi.Input<pulumi.Input<pulumi.Resource>[]>)
    .apply((u) => [...(Array.isArray(u) ? u : [u]), ...own]);
  return { parent, dependsOn: merged as pulumi.Input<pulumi.Input<pulumi.Resource>[]> };
}
