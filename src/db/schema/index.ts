export * from "./accounts";
export * from "./delivery";
export * from "./failure-classes";
export * from "./demo";
export * from "./reports";
export * from "./alerts";
