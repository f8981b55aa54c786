/**
 * Every default of GnbdExport, written once.
 * @internal
 */
export const exportDefaults = {
  exportName: "ocfscluster",
  protocol: "nbd",
  port: 10809,
} as const;
