export * from "./remote";
export * from "./lvm-volume";
export * from "./drbd-resource";
export * from "./rhcs-cluster";
export * from "./heartbeat-pair";
export * from "./gnbd-export";
export * from "./ocfs2-client";
export * as validate from "./validate";
