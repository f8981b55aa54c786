export * from "./host";
export * from "../core/shell";
export * from "./step";
export * from "./remote-file";
