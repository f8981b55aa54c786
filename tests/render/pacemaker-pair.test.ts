/**
 * The pair's CIB fragments (HeartbeatPair's pacemaker engine), read back with xmllint's XPath:
 * what runs where, in which order, and which node keeps the promoted role.
 */
import * as fs from "fs";
import * as path from "path";
import {
  PairCibSpec,
  renderPairConstraints,
  renderPairResources,
} from "../../components/heartbeat/pacemaker";
import { run, tempDir } from "./tools";

const spec = (autoFailback: boolean): PairCibSpec => ({
  drbdResource: "cluster",
  preferredNode: "xenamo4",
  autoFailback,
  others: ["xenamo1", "xenamo2", "xenamo3"],
  served: [
    { type: "nbd-export", parameters: { export: "ocfscluster" } },
    { type: "ip", parameters: { ip: "10.0.0.6/24/eth0" } },
  ],
});

/** xmllint's answer to an XPath expression over `xml`; fails the test on XML that is not well-formed. */
function xpath(xml: string, expression: string): string {
  const file = path.join(tempDir(), "fragment.xml");
  fs.writeFileSync(file, xml);
  expect(run("xmllint", ["--noout", file]).status).toBe(0);
  return run("xmllint", ["--xpath", expression, file]).stdout.trim();
}

describe("the pair under Pacemaker", () => {
  const resources = renderPairResources(spec(false));
  const constraints = renderPairConstraints(spec(false));

  test("DRBD is a promotable clone of ocf:linbit:drbd on two nodes, one promoted, with notifications", () => {
    const meta = (name: string) =>
      xpath(
        resources,
        `string(//clone[@id="xenstorage-cluster-drbd-clone"]//nvpair[@name="${name}"]/@value)`,
      );
    expect(meta("promotable")).toBe("true");
    expect(meta("promoted-max")).toBe("1");
    expect(meta("clone-max")).toBe("2");
    expect(meta("notify")).toBe("true");
    expect(xpath(resources, "string(//clone/primitive/@type)")).toBe("drbd");
    expect(xpath(resources, "string(//clone/primitive/@provider)")).toBe("linbit");
    expect(xpath(resources, 'string(//clone/primitive//nvpair[@name="drbd_resource"]/@value)')).toBe(
      "cluster",
    );
    // Two monitors, one per role, at different intervals (Pacemaker tells them apart by interval).
    expect(xpath(resources, 'string(//op[@role="Promoted"]/@interval)')).not.toBe(
      xpath(resources, 'string(//op[@role="Unpromoted"]/@interval)'),
    );
  });

  test("the export starts before the address, both in one group with the promoted instance, after the promotion", () => {
    expect(xpath(resources, "string(//group/primitive[1]/@type)")).toBe("nbd-export");
    expect(xpath(resources, "string(//group/primitive[2]/@type)")).toBe("ip");
    expect(xpath(constraints, "string(//rsc_colocation/@with-rsc-role)")).toBe("Promoted");
    expect(xpath(constraints, "string(//rsc_colocation/@score)")).toBe("INFINITY");
    expect(xpath(constraints, "string(//rsc_order/@first-action)")).toBe("promote");
    expect(xpath(constraints, "string(//rsc_order/@then)")).toBe("xenstorage-cluster-served");
  });

  test("the Xen nodes never run or probe the pair's resources", () => {
    for (const node of ["xenamo1", "xenamo2", "xenamo3"])
      for (const rsc of ["xenstorage-cluster-drbd-clone", "xenstorage-cluster-served"]) {
        const c = `//rsc_location[@rsc="${rsc}" and @node="${node}"]`;
        expect(xpath(constraints, `string(${c}/@score)`)).toBe("-INFINITY");
        expect(xpath(constraints, `string(${c}/@resource-discovery)`)).toBe("never");
      }
    expect(
      xpath(constraints, 'count(//rsc_location[@node="xenamo4" or @node="xenamo5"][@score="-INFINITY"])'),
    ).toBe("0");
  });

  test("without failback the preferred node adds nothing to the promotion (Pacemaker keeps the promoted instance on a tie); with it, the preferred node wins", () => {
    const weights = (autoFailback: boolean) => ({
      stickiness: Number(
        xpath(
          renderPairResources(spec(autoFailback)),
          'string(//clone//nvpair[@name="resource-stickiness"]/@value)',
        ),
      ),
      preferred: Number(
        xpath(
          renderPairConstraints(spec(autoFailback)),
          'string(//rsc_location[@node="xenamo4" and @role="Promoted"]/@score)',
        ),
      ),
    });
    const off = weights(false);
    expect(off.preferred).toBe(0);
    expect(off.stickiness).toBeGreaterThan(0);
    const on = weights(true);
    expect(on.preferred).toBeGreaterThan(on.stickiness);
  });
});
