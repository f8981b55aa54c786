/** Loop devices over sparse files, for scripts that need a real block device. */
import * as fs from "fs";
import * as path from "path";
import { run, tempDir } from "../render/tools";

export class LoopDevices {
  private readonly devices: string[] = [];
  private readonly dir = tempDir();

  /** A new loop device of `mib` MiB, zero-filled. */
  create(mib: number): string {
    const file = path.join(this.dir, `disk${this.devices.length}.img`);
    fs.writeFileSync(file, "");
    fs.truncateSync(file, mib * 1024 * 1024);
    const r = run("losetup", ["-f", "--show", file]);
    if (r.status !== 0) throw new Error(`losetup failed: ${r.stderr}`);
    const device = r.stdout.trim();
    this.devices.push(device);
    return device;
  }

  release(): void {
    for (const d of this.devices) run("losetup", ["-d", d]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
