import * as fs from "fs";
import { REFERENCE, renderReference } from "../../tools/reference";

test("docs/reference.md is in step with the components' TSDoc (run `npm run docs`)", () => {
  expect(fs.readFileSync(REFERENCE, "utf8")).toBe(renderReference());
});

test("every argument is documented", () => {
  expect(renderReference()).not.toContain("(undocumented");
});
