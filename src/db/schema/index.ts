export * from "./accounts";
export * from "./demo";
export * from "./reports";
export * from "./alerts";
