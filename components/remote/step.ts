import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { CheckedHost } from "./host";
import { shq } from "./shell";

/** A remote command with create/update/delete scripts; see `Step`. */
export interface StepArgs {
  /** Where the step runs. */
  host: CheckedHost;
  /** Script run on create, and on update when `update` is absent. Must be safe to re-run. */
  create: pulumi.Input<string>;
  /** Script run when an input or trigger changes. Default: `create`. */
  update?: pulumi.Input<string>;
  /** Script run on delete. Default: nothing. */
  delete?: pulumi.Input<string>;
  /** Standard input for every script; the only way a secret reaches a host. */
  stdin?: pulumi.Input<string>;
  /** Values whose change re-runs the step (as an update, in place). */
  triggers?: pulumi.Input<unknown>[];
}

/**
 * One idempotent remote step: a `command.remote.Command` whose scripts run under `sh -e`
 * as root (through `sudo -n` for another user). Create must converge on a host that is
 * already configured; see `guarded` for the probe-then-act shape.
 */
export class Step extends command.remote.Command {
  constructor(name: string, args: StepArgs, opts: pulumi.CustomResourceOptions) {
    const secret = args.stdin !== undefined && pulumi.Output.isInstance(args.stdin);
    super(
      name,
      {
        connection: args.host.connection,
        create: asRoot(args.host.user, args.create),
        update: asRoot(args.host.user, args.update ?? args.create),
        delete: args.delete === undefined ? undefined : asRoot(args.host.user, args.delete),
        stdin: args.stdin,
        triggers: args.triggers,
        addPreviousOutputInEnv: false,
      },
      { ...opts, additionalSecretOutputs: secret ? ["stdin"] : opts.additionalSecretOutputs },
    );
  }
}

/** Wraps a script so that it runs under `sh -e` as root, whatever the login shell is. */
export function asRoot(user: pulumi.Input<string>, script: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.all([user, script]).apply(([u, s]) => rootShell(u, s));
}

/** The command line that runs `script` under `sh -e` as root for an SSH login as `user`. */
export function rootShell(user: string, script: string): string {
  const shell = `sh -ec ${shq(script)}`;
  return user === "root" ? shell : `sudo -n ${shell}`;
}

/**
 * The probe-then-act shape of every step: `done` is a shell test that succeeds when
 * nothing is left to do; otherwise `run` runs. A step built this way is safe to re-run.
 */
export function guarded(what: string, done: string, run: string): string {
  return `if ${done}; then echo ${shq(`${what}: already done`)}; else\n${run}\nfi`;
}
