export * from "./host";
export * from "./shell";
export * from "./step";
export * from "./remote-file";
