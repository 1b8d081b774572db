/** The user-facing part: stack config, its mapping, and the component. The Entra objects live in `./entra`. */
export * from "./config";
export * from "./configProblems";
export * from "./ssprArgs";
export * from "./mapping";
export * from "./selfServicePasswordReset";
