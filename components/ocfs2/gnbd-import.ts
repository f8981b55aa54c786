/** The seed's GNBD import (the 2006 flavor): gnbd_import finds the server's exports itself. */
import { shq } from "../core/shell";
import * as rules from "../core/rules";
import { guarded } from "../remote/step";
import { ImportVariant } from "./import";

/** @internal */
export const gnbdImport: ImportVariant = {
  defaultDevice: (exportName) => `/dev/gnbd/${exportName}`,
  deviceRule: rules.absolutePath,
  importScript: (spec) =>
    guarded(
      `gnbd import ${spec.exportName}`,
      `[ -e ${shq(spec.device)} ]`,
      `gnbd_import -i ${shq(spec.server)}`,
    ),
  unimportScript: () => "gnbd_import -R || :",
  files: () => ({ program: [], settings: [] }),
};
