/**
 * Test harness for the resource graph: Pulumi mocks plus a transformation that records
 * every child a component registers, with its inputs and explicit dependencies.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: pulumi.ResourceOptions;
  resource?: pulumi.Resource;
}

/** Every remote command the mock engine was asked to create: name and inputs, as the provider would get them. */
export const sentCommands: { name: string; inputs: string }[] = [];

/** Installs mocks whose random resources return recognisable values; `preview` makes it a dry run. */
export function installMocks(preview = false): void {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.type === "command:remote:Command")
          sentCommands.push({ name: args.name, inputs: JSON.stringify(args.inputs) });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "random:index/randomPassword:RandomPassword")
          state.result = `MOCKSECRET${args.name.replace(/[^A-Za-z0-9]/g, "")}`;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "xen-storage",
    "test",
    preview,
  );
}

/** Records what a component registers below it; pass `recorder.opts` to the component. */
export class Recorder {
  public readonly registered: Registered[] = [];
  public readonly opts: pulumi.ComponentResourceOptions = {
    transformations: [
      (args) => {
        this.registered.push({
          type: args.type,
          name: args.name,
          props: args.props as Record<string, unknown>,
          opts: args.opts,
          resource: args.resource,
        });
        return undefined;
      },
    ],
  };

  commands(): Registered[] {
    return this.registered.filter((r) => r.type === "command:remote:Command");
  }

  named(suffix: string): Registered {
    const found = this.registered.filter((r) => r.name.endsWith(suffix));
    if (found.length !== 1)
      throw new Error(
        `expected one resource named *${suffix}, found ${found.map((f) => f.name).join(", ") || "none"}`,
      );
    return found[0];
  }

  names(): string[] {
    return this.registered.map((r) => r.name);
  }
}

/** The value of an Input, once resolved; rejects when resolving it throws. */
export function resolve<T>(value: pulumi.Input<T> | undefined): Promise<T> {
  // Output.promise() is internal API, but the only way to see an apply's failure in a test.
  return (pulumi.output(value) as unknown as { promise(): Promise<T> }).promise();
}

export async function secret(value: unknown): Promise<boolean> {
  return pulumi.Output.isInstance(value) ? pulumi.isSecret(value as pulumi.Output<unknown>) : false;
}

/** Names of the resources a registered resource explicitly waits for. */
export async function dependencyNames(r: Registered): Promise<string[]> {
  const deps = (await resolve(r.opts.dependsOn as pulumi.Input<pulumi.Input<pulumi.Resource>[]>)) ?? [];
  const list = Array.isArray(deps) ? deps : [deps];
  const urns = await Promise.all(list.map((d) => resolve((d as pulumi.Resource).urn)));
  return urns.map((urn) => urn.split("::").pop() as string);
}

/** The scripts of a remote command (create, update, delete), resolved. */
export async function scripts(
  r: Registered,
): Promise<{ create: string; update: string; delete?: string; stdin?: string }> {
  return {
    create: await resolve(r.props.create as pulumi.Input<string>),
    update: await resolve(r.props.update as pulumi.Input<string>),
    delete: r.props.delete === undefined ? undefined : await resolve(r.props.delete as pulumi.Input<string>),
    stdin: r.props.stdin === undefined ? undefined : await resolve(r.props.stdin as pulumi.Input<string>),
  };
}

/** Everything that lands in a command line or in a host's process table, for secret scans. */
export async function commandLines(recorder: Recorder): Promise<string> {
  const all = await Promise.all(
    recorder.commands().map(async (c) => {
      const s = await scripts(c);
      return [s.create, s.update, s.delete ?? ""].join("\n");
    }),
  );
  return all.join("\n");
}

/** A host with plain values, for tests. */
export function host(name: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    name,
    address: `192.0.2.${n}`,
    clusterAddress: `10.0.0.${n}`,
    privateKey: "PRIVATE-KEY-DO-NOT-LEAK",
    ...extra,
  };
}

/**
 * What building `build` was refused with: the error it threw at once (`atConstruction`), or
 * else the first that arrived in `rejections` (which the caller's `unhandledRejection`
 * listener fills: an Output's failure surfaces there), once the mock engine has settled; plus
 * the remote commands the engine was sent meanwhile.
 */
export async function refusal(
  build: () => unknown,
  rejections: Error[] = [],
): Promise<{ error?: Error; atConstruction: boolean; sent: typeof sentCommands }> {
  sentCommands.length = 0;
  rejections.length = 0;
  let thrown: Error | undefined;
  try {
    build();
  } catch (e) {
    thrown = e as Error;
  }
  // Wait until neither commands nor rejections have arrived for 200 ms.
  for (let quiet = 0, seen = -1; quiet < 10;) {
    await new Promise((r) => setTimeout(r, 20));
    const now = sentCommands.length + rejections.length;
    quiet = now === seen ? quiet + 1 : 0;
    seen = now;
  }
  return { error: thrown ?? rejections[0], atConstruction: thrown !== undefined, sent: [...sentCommands] };
}
