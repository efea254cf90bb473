export * from "./accounts";
export * from "./delivery";
export * from "./demo";
export * from "./reports";
export * from "./alerts";
