/**
 * `pulumi-resource-random` for this repository's engine build: `RandomPassword` and
 * `RandomBytes` of @pulumi/random, generated with Node's CSPRNG. The real (Terraform-
 * bridged) provider cannot be fetched from the Go module proxy here. As there, every
 * input forces a new value (replace), and the generated values are secret.
 * Not supported (refused with a clear error): the other random resources, and
 * RandomPassword's `bcryptHash` output (left empty).
 */
import * as crypto from "crypto";
import * as provider from "@pulumi/pulumi/provider";
import { password } from "./password";
import { Props, changedKeys, nameOf, reveal, secret, typeOf } from "./values";

const VERSION = "4.21.2";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const BYTES = "random:index/randomBytes:RandomBytes";
const PASSWORD_INPUTS = [
  "length",
  "lower",
  "upper",
  "numeric",
  "number",
  "special",
  "minLower",
  "minUpper",
  "minNumeric",
  "minSpecial",
  "overrideSpecial",
  "keepers",
];
const BYTES_INPUTS = ["length", "keepers"];

function inputsOf(urn: string): string[] {
  const type = typeOf(urn);
  if (type === PASSWORD) return PASSWORD_INPUTS;
  if (type === BYTES) return BYTES_INPUTS;
  throw new Error(
    `${type} is not supported by this engine build's random provider (only RandomPassword and RandomBytes)`,
  );
}

const randomProvider: provider.Provider = {
  version: VERSION,

  async check(urn, _olds, news) {
    inputsOf(urn);
    const length = Number(reveal(news.length));
    const failures =
      Number.isInteger(length) && length > 0
        ? []
        : [{ property: "length", reason: "length must be a positive integer" }];
    return { inputs: news, failures };
  },

  async diff(_id, urn, olds, news) {
    const changed = changedKeys(olds, news, inputsOf(urn));
    return { changes: changed.length > 0, replaces: changed };
  },

  async create(urn, inputs) {
    const plain = reveal(inputs) as Props;
    const id = `${nameOf(urn)}-${crypto.randomBytes(4).toString("hex")}`;
    if (typeOf(urn) === PASSWORD) {
      return { id, outs: { ...inputs, result: secret(password(plain)) } };
    }
    inputsOf(urn);
    const bytes = crypto.randomBytes(Number(plain.length));
    return {
      id,
      outs: { ...inputs, base64: secret(bytes.toString("base64")), hex: secret(bytes.toString("hex")) },
    };
  },

  async read(id, _urn, props) {
    return { id, props };
  },
};

provider.main(randomProvider, process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
