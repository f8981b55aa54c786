export * from "./xen-storage-cluster";
export * from "./config";
