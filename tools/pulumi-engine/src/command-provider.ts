/**
 * `pulumi-resource-command` for this repository's engine build: the `command:remote:Command`
 * resource of @pulumi/command, with the same inputs, outputs and lifecycle as the real
 * provider (which cannot be fetched from the Go module proxy here):
 * - create runs `create`; update runs `update`, or `create` when there is no `update`;
 *   delete runs `delete`;
 * - a change of `triggers` replaces the resource unless `update` is set; any other change
 *   of an input is an update;
 * - `stdin` is piped to the command; `connection` is always secret in the outputs, and an
 *   input that was secret stays secret.
 * Not supported (refused with a clear error): password and encrypted-key authentication,
 * proxies, `command:local:*` and the copy resources.
 */
import * as crypto from "crypto";
import * as provider from "@pulumi/pulumi/provider";
import { Connection, runRemote } from "./ssh";
import { Props, changedKeys, nameOf, reveal, secret, typeOf } from "./values";

const VERSION = "1.2.1";
const REMOTE_COMMAND = "command:remote:Command";
const INPUTS = [
  "connection",
  "environment",
  "triggers",
  "create",
  "delete",
  "update",
  "stdin",
  "logging",
  "addPreviousOutputInEnv",
];

function requireRemoteCommand(urn: string): void {
  if (typeOf(urn) !== REMOTE_COMMAND) {
    throw new Error(
      `${typeOf(urn)} is not supported by this engine build's command provider (only ${REMOTE_COMMAND})`,
    );
  }
}

async function run(props: Props, script: unknown): Promise<{ stdout: string; stderr: string }> {
  if (typeof script !== "string" || script === "") return { stdout: "", stderr: "" };
  const plain = reveal(props) as Props;
  return runRemote(
    plain.connection as Connection,
    script,
    typeof plain.stdin === "string" ? plain.stdin : undefined,
    (plain.environment as Record<string, string> | undefined) ?? {},
  );
}

function outputs(inputs: Props, result: { stdout: string; stderr: string }): Props {
  return { ...inputs, connection: secret(inputs.connection), stdout: result.stdout, stderr: result.stderr };
}

const commandProvider: provider.Provider = {
  version: VERSION,

  async check(urn, _olds, news) {
    requireRemoteCommand(urn);
    const connection = reveal(news.connection) as Connection | undefined;
    const failures =
      connection?.host === undefined
        ? [{ property: "connection", reason: "connection.host is required" }]
        : [];
    return { inputs: news, failures };
  },

  async diff(_id, _urn, olds, news) {
    const changed = changedKeys(olds, news, INPUTS);
    const replaces = changed.includes("triggers") && news.update === undefined ? ["triggers"] : [];
    return { changes: changed.length > 0, replaces };
  },

  async create(urn, inputs) {
    requireRemoteCommand(urn);
    const result = await run(inputs, reveal(inputs.create));
    return { id: `${nameOf(urn)}-${crypto.randomBytes(4).toString("hex")}`, outs: outputs(inputs, result) };
  },

  async update(_id, _urn, _olds, news) {
    const script = news.update !== undefined ? news.update : news.create;
    return { outs: outputs(news, await run(news, reveal(script))) };
  },

  async delete(_id, _urn, props) {
    await run(props, reveal(props.delete));
  },

  async read(id, _urn, props) {
    return { id, props };
  },
};

provider.main(commandProvider, process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
