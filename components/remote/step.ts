import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { CheckedHost } from "./host";
import { shq } from "../core/shell";

/**
 * A remote command with create/update/delete scripts; see `Step`.
 * @internal
 */
export interface StepArgs {
  /** Where the step runs. */
  host: CheckedHost;
  /** Script run on create, and on update when `update` is absent. Must be safe to re-run. */
  create: pulumi.Input<string>;
  /** Script run in place when an input of the step changes (see `Step`). Default: `create`. */
  update?: pulumi.Input<string>;
  /** Script run on delete: when the step leaves the program or the stack is destroyed, never on an update. Default: nothing. */
  delete?: pulumi.Input<string>;
  /** Standard input for every script; the only way a secret reaches a host. */
  stdin?: pulumi.Input<string>;
  /**
   * Values whose change re-runs the step's update script in place (a daemon reloads when its
   * file changed). Their digest is written into the update script, so a change is an update.
   */
  rerunOn?: pulumi.Input<unknown>[];
}

/**
 * One idempotent remote step: a `command.remote.Command` whose scripts run under `sh -e`
 * as root (through `sudo -n` for another user). Create must converge on a host that is
 * already configured; see `guarded` for the probe-then-act shape.
 *
 * What Pulumi's command provider does with a changed step:
 * - **update** (the `update` script runs in place): any change of the scripts, of `stdin`
 *   (a file's content), of the connection, or of a `rerunOn` value;
 * - **replace** (the new `create` runs, then the **old `delete`**): only a change of the
 *   command's `triggers` (its SDK sets `replaceOnChanges: ["triggers[*]"]`). A Step never
 *   sets `triggers`, so an ordinary change of the stack never runs a `delete`. States written
 *   by 0.1, whose steps did set them, keep their old `triggers` (`ignoreChanges`), so that
 *   they are not replaced either.
 * @internal
 */
export class Step extends command.remote.Command {
  constructor(name: string, args: StepArgs, opts: pulumi.CustomResourceOptions) {
    const secret = args.stdin !== undefined && pulumi.Output.isInstance(args.stdin);
    const update = args.update ?? args.create;
    super(
      name,
      {
        connection: args.host.connection,
        create: asRoot(args.host.user, args.create),
        update: asRoot(
          args.host.user,
          args.rerunOn === undefined ? update : withRevision(update, args.rerunOn),
        ),
        delete: args.delete === undefined ? undefined : asRoot(args.host.user, args.delete),
        stdin: args.stdin,
        addPreviousOutputInEnv: false,
      },
      {
        ...opts,
        additionalSecretOutputs: secret ? ["stdin"] : opts.additionalSecretOutputs,
        ignoreChanges: [...(opts.ignoreChanges ?? []), "triggers"],
      },
    );
  }
}

/** The script followed by a comment holding the digest of `values`: the script's text changes when they do. */
function withRevision(script: pulumi.Input<string>, values: pulumi.Input<unknown>[]): pulumi.Output<string> {
  return pulumi
    .all([script, pulumi.all(values)])
    .apply(([s, v]) => `${s}\n# revision ${sha256(JSON.stringify(v))}`);
}

/** @internal */
export function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/**
 * Wraps a script so that it runs under `sh -e` as root, whatever the login shell is.
 * @internal
 */
export function asRoot(user: pulumi.Input<string>, script: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.all([user, script]).apply(([u, s]) => rootShell(u, s));
}

/**
 * The command line that runs `script` under `sh -e` as root for an SSH login as `user`.
 * @internal
 */
export function rootShell(user: string, script: string): string {
  const shell = `sh -ec ${shq(script)}`;
  return user === "root" ? shell : `sudo -n ${shell}`;
}

/**
 * The probe-then-act shape of every step: `done` is a shell test that succeeds when
 * nothing is left to do; otherwise `run` runs. A step built this way is safe to re-run.
 * @internal
 */
export function guarded(what: string, done: string, run: string): string {
  return `if ${done}; then echo ${shq(`${what}: already done`)}; else\n${run}\nfi`;
}
