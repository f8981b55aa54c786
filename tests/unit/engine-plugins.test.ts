/** The pure parts of the engine's substitute plugins (tools/pulumi-engine/src). */
import { password } from "../../tools/pulumi-engine/src/password";
import { UNKNOWN, changedKeys, reveal, secret, typeOf } from "../../tools/pulumi-engine/src/values";

describe("property values", () => {
  test("secrets are revealed at any depth and compared by value", () => {
    const olds = { connection: secret({ host: "a", privateKey: "k" }), create: "x" };
    expect(reveal(olds)).toEqual({ connection: { host: "a", privateKey: "k" }, create: "x" });
    expect(
      changedKeys(olds, { connection: { host: "a", privateKey: secret("k") }, create: "x" }, [
        "connection",
        "create",
      ]),
    ).toEqual([]);
    expect(
      changedKeys(olds, { connection: secret({ host: "b", privateKey: "k" }), create: "x" }, [
        "connection",
        "create",
      ]),
    ).toEqual(["connection"]);
  });

  test("an unknown value counts as a change", () => {
    expect(changedKeys({ create: "x" }, { create: UNKNOWN }, ["create"])).toEqual(["create"]);
  });

  test("the type token is the last part of the URN's type chain", () => {
    expect(typeOf("urn:pulumi:dev::p::a:b:C$random:index/randomPassword:RandomPassword::name")).toBe(
      "random:index/randomPassword:RandomPassword",
    );
  });
});

describe("password", () => {
  test("has the length and only the enabled classes", () => {
    for (let i = 0; i < 50; i++) {
      const p = password({ length: 32, special: false });
      expect(p).toMatch(/^[A-Za-z0-9]{32}$/);
    }
  });

  test("meets the minimums", () => {
    for (let i = 0; i < 50; i++) {
      const p = password({ length: 8, minNumeric: 3, minSpecial: 2, overrideSpecial: "#" });
      expect(p.replace(/[^0-9]/g, "").length).toBeGreaterThanOrEqual(3);
      expect(p.replace(/[^#]/g, "").length).toBeGreaterThanOrEqual(2);
    }
  });

  test("two passwords differ", () => {
    expect(password({ length: 40 })).not.toBe(password({ length: 40 }));
  });
});
