/**
 * Destroy keeps the data: `pulumi destroy` of the lab stack leaves the LV contents and the
 * DRBD metadata, and a fresh `pulumi up` finds the same files. Run with
 * `npm run test:lab:destroy`: it reuses a healthy deployed lab (`LAB_KEEP=1 npm run test:lab`
 * or `npm run lab`) or boots and deploys one. Apart from test:lab to keep CI within its time.
 */
import { MOUNT, checksum, deployedLab, expectUp, lab, stack, timed, up, vm, xenNodes } from "../lab/lab";

jest.setTimeout(3_600_000);

beforeAll(deployedLab);

afterAll(() => {
  if (process.env.LAB_KEEP !== "1") lab(["down.sh"]);
});

test("destroy keeps the LV contents and the DRBD metadata; a fresh up finds the same data", () => {
  const [writer, ...readers] = xenNodes();
  expect(
    vm(writer, `dd if=/dev/urandom of=${MOUNT}/kept.bin bs=1M count=4 conv=fsync status=none`).status,
  ).toBe(0);
  const before = checksum(writer, "kept.bin");
  expect(before).toMatch(/^[0-9a-f]{64}$/);
  const destroyed = timed("pulumi destroy", () => stack("destroy", "--yes", "--skip-preview"));
  expect(destroyed.status).toBe(0);
  for (const n of [4, 5]) {
    expect(vm(n, "lvs --noheadings -o lv_name vg1/cluster").stdout.trim()).toBe("cluster");
    // The resource file is gone with the stack, so ask drbdmeta about the disk itself.
    const md = vm(n, "drbdmeta --force 0 v08 /dev/vg1/cluster internal dump-md >/dev/null && echo metadata");
    expect(md.stdout.trim()).toBe("metadata");
  }
  expectUp(timed("pulumi up after destroy", () => up()));
  for (const n of [writer, ...readers]) expect(checksum(n, "kept.bin")).toBe(before);
});
