import { withEmulatorEndpoints } from "../../../scripts/stack/stackConfig";

describe("stack config", () => {
  it("always points the endpoints at the emulator, whatever the stack said", () => {
    expect(
      withEmulatorEndpoints(
        { "entra-sspr:endpoints": { graph: "https://graph.microsoft.com", portal: "https://x" }, k: "v" },
        "http://127.0.0.1:9/",
      ),
    ).toEqual({ "entra-sspr:endpoints": { graph: "http://127.0.0.1:9", portal: "http://127.0.0.1:9/api" }, k: "v" });
  });
});
