import * as pulumi from "@pulumi/pulumi";
import { Checker } from "../../components/core/checker";
import * as rules from "../../components/core/rules";
import { installMocks, resolve } from "./harness";

beforeAll(installMocks);

// A failed apply also rejects the Output's internal promises, which nothing awaits; in a
// program the Pulumi runtime reports them as the deployment's error. `npm test` runs node
// with --unhandled-rejections=warn so that they do not end the test process.

describe("Checker", () => {
  test("a plain bad value fails at once with a ResourceError naming field, value and rule", () => {
    const check = new Checker("Dummy");
    expect(() => check.input("size", "10GB", rules.size)).toThrow(pulumi.ResourceError);
    expect(() => check.input("size", "10GB", rules.size)).toThrow(
      /^Dummy: size is "10GB"; expected a positive size/,
    );
  });

  test("a bad value inside an Output fails when it resolves", async () => {
    const check = new Checker("Dummy");
    await expect(resolve(check.input("size", pulumi.output("12 GB"), rules.size))).rejects.toThrow(
      /size is "12 GB"/,
    );
    await expect(resolve(check.input("size", pulumi.output("12G"), rules.size))).resolves.toBe("12G");
  });

  test("a secret never appears in the message", async () => {
    const check = new Checker("Dummy");
    const bad = pulumi.secret('has"quote');
    await expect(resolve(check.secret("sharedSecret", bad, rules.drbdSecret))).rejects.toThrow(
      /sharedSecret is "\(secret\)"/,
    );
    await expect(resolve(check.secret("sharedSecret", bad, rules.drbdSecret))).rejects.not.toThrow(
      /has"quote/,
    );
  });

  test("unique names the repeated key", () => {
    const check = new Checker("Dummy");
    expect(() => check.unique("nodes[].name", ["a", "b", "a"])).toThrow(
      /nodes\[\]\.name is "a"; expected each value once/,
    );
    expect(() => check.unique("nodes[].name", ["a", "b"])).not.toThrow();
  });
});
