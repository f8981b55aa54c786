/**
 * Golden files: every file the dev and dev-2006 stacks write, host by host, under
 * tests/golden/<stack>/<host>/<path>. Run `UPDATE_GOLDEN=1 npm test` after an intended
 * change and review the diff.
 */
import * as fs from "fs";
import * as path from "path";
import { renderStack } from "./rendered";

const GOLDEN = path.join(__dirname, "..", "golden");
const update = process.env.UPDATE_GOLDEN === "1";

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full) : [full];
  });
}

describe.each(["dev", "dev-2006"])("golden files of the %s stack", (stack) => {
  test("every rendered file matches its golden file, and no golden file is stale", async () => {
    const files = await renderStack(stack);
    expect(files.length).toBeGreaterThan(20);
    const expected = new Set<string>();
    for (const f of files) {
      const name = f.marker === undefined ? f.path : `${f.path}#${f.marker}`;
      const golden = path.join(GOLDEN, stack, f.host, name);
      expected.add(golden);
      if (update) {
        fs.mkdirSync(path.dirname(golden), { recursive: true });
        fs.writeFileSync(golden, f.content);
      }
      expect({ file: `${f.host}:${name}`, content: f.content }).toEqual({
        file: `${f.host}:${name}`,
        content: fs.existsSync(golden) ? fs.readFileSync(golden, "utf8") : "(no golden file)",
      });
    }
    const stale = listFiles(path.join(GOLDEN, stack)).filter((g) => !expected.has(g));
    if (update) stale.forEach((g) => fs.unlinkSync(g));
    else expect(stale).toEqual([]);
  });
});
