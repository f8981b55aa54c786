export * from "./remote";
export * from "./lvm/lvm-volume";
export * from "./drbd/drbd-resource";
export * from "./cluster/rhcs-cluster";
export * from "./heartbeat/heartbeat-pair";
export * from "./export/gnbd-export";
export * from "./ocfs2/ocfs2-client";
export * as validate from "./core/rules";
