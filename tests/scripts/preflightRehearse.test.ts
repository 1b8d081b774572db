/**
 * The permission preflight end to end: `rehearse` (program -> providers -> HTTP -> emulator) with the lab
 * credential narrowed by ENTRA_SSPR_LAB_GRANTS stops before any request, naming every missing grant.
 */
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { rehearse } from "../../scripts/rehearse";
import { useProviderHost } from "../support/rehearsalHost";

const hosted = useProviderHost();
let emulator: RunningEmulator;
const saved = process.env.ENTRA_SSPR_LAB_GRANTS;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.stop();
});
beforeEach(() => {
  emulator.reset();
  emulator.clearRequests();
});
afterEach(() => {
  if (saved === undefined) delete process.env.ENTRA_SSPR_LAB_GRANTS;
  else process.env.ENTRA_SSPR_LAB_GRANTS = saved;
});

describe("the permission preflight in a rehearsal", () => {
  it("ENTRA_SSPR_LAB_GRANTS=Policy.Read.All: fails before any write, naming every missing grant", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS = "Policy.Read.All";
    const before = emulator.state();
    const result = await rehearse({ stack: "dev", host: hosted.host, emulatorUrl: emulator.url });
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    const [message] = result.errors;
    expect(message).toContain("Permission preflight: nothing was written. 3 grants are missing");
    expect(message).toContain(
      "Microsoft Graph, the tenant's ownership mark (organization extension) (write): the application permission Organization.ReadWrite.All",
    );
    expect(message).toContain(
      "Microsoft Graph, Authentication methods policy (Email, Sms, Voice) (write): the application permission Policy.ReadWrite.AuthenticationMethod",
    );
    expect(message).toContain("the directory role Authentication Policy Administrator or Global Administrator");
    expect(result.steps).toEqual([]);
    expect(emulator.requests().filter((request) => request.method !== "GET")).toEqual([]);
    expect(emulator.state()).toEqual(before);
  });

  it("with the grants the stack needs (plus the report's read of the admin policy), the same rehearsal applies", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS =
      "Organization.ReadWrite.All, Policy.ReadWrite.AuthenticationMethod, Policy.Read.All, Authentication Policy Administrator";
    const result = await rehearse({ stack: "dev", host: hosted.host, emulatorUrl: emulator.url });
    expect(result.errors).toEqual([]);
    expect(emulator.state().passwordResetPolicies.enablementType).toBe(2);
  });

  it("an unreadable ENTRA_SSPR_LAB_GRANTS is reported before any request", async () => {
    process.env.ENTRA_SSPR_LAB_GRANTS = "Policy.Read.All,root";
    const result = await rehearse({ stack: "dev", host: hosted.host, emulatorUrl: emulator.url });
    expect(result.ok).toBe(false);
    expect(result.errors.join("\n")).toContain('ENTRA_SSPR_LAB_GRANTS: "root" is neither a Graph permission');
    expect(emulator.requests()).toEqual([]);
  });
});
