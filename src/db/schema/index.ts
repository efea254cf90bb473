export * from "./accounts";
export * from "./alerts";
export * from "./automation";
export * from "./delivery";
export * from "./demo";
export * from "./failure-classes";
export * from "./integrations";
export * from "./reports";
