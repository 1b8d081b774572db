/**
 * A forged mark end to end (rehearsal engine -> plugin -> emulator): an administrator adds herself as an owner of the
 * mark's application and rewrites its notes. `up` is refused naming the owner found; destroy exits non-zero with the
 * tenant untouched and says how to reclaim it, instead of "ok" beside a warning.
 */
import { destroyState, EngineError } from "../../../engine/engine";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { useEmulator } from "../../support/emulator";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookLines } from "../../support/runbook";
import { writeStackFile } from "../../support/stackFiles";
import { call, graphAppToken } from "../../emulator/helpers";

const shared = useRehearsalHost("forged");
const lab = useEmulator();
const mallory = "00000000-0000-0000-0000-0000000000e1";

/** An Application Administrator (Application.ReadWrite.All) makes herself an owner and rewrites the notes. */
async function forge(): Promise<void> {
  const admin = graphAppToken(["Application.ReadWrite.All"], { oid: mallory, app_displayname: "Mallory's tool" });
  const mark = await call(lab.emulator.url, "GET", "/v1.0/applications(uniqueName='entra-sspr-ownership-mark')", {
    token: admin,
  });
  const { id, notes } = mark.body as { id: string; notes: string };
  const reference = { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${mallory}` };
  expect(
    (await call(lab.emulator.url, "POST", `/v1.0/applications/${id}/owners/$ref`, { token: admin, body: reference }))
      .status,
  ).toBe(204);
  const forged = { ...JSON.parse(notes), stack: "evil/entra-sspr/x" };
  const patched = await call(lab.emulator.url, "PATCH", "/v1.0/applications(uniqueName='entra-sspr-ownership-mark')", {
    token: admin,
    body: { notes: JSON.stringify(forged) },
  });
  expect(patched.status).toBe(204);
}

describe("a forged mark", () => {
  it("up is refused naming the owners found; destroy exits non-zero with the tenant untouched", async () => {
    const stackFile = writeStackFile(shared.tmp, "runbook", runbookLines());
    const applied = await rehearse({ host: shared.host, emulatorUrl: lab.emulator.url, stackFile });
    expect(applied.errors).toEqual([]);
    await forge();

    const again = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile,
      priorState: applied.state,
    });
    expect(again.ok).toBe(false);
    const said = again.errors.join("\n");
    expect(said).toContain("forged or squatted");
    expect(said).toContain(`it is owned by (no name) (servicePrincipal, ${mallory})`);
    expect(said).toContain("To reclaim it");
    expect(said).not.toContain("evil/entra-sspr/x owns");

    const changed = lab.emulator.state();
    const destroyed = destroyState(applied.state, shared.host);
    await expect(destroyed).rejects.toBeInstanceOf(EngineError);
    await expect(destroyed).rejects.toThrow(
      /destroy restored nothing: .*\(servicePrincipal, 00000000-0000-0000-0000-0000000000e1\)/s,
    );
    expect(lab.emulator.state()).toEqual(changed);
  });

  it("squatted before the first up: up is refused naming the owner, and nothing is written to the tenant", async () => {
    lab.reseed({
      applications: [
        {
          id: "0a000000-0000-4000-8000-00000000000a",
          appId: "0a000000-0000-4000-8000-0000000000aa",
          uniqueName: "entra-sspr-ownership-mark",
          displayName: "entra-sspr ownership mark",
          notes: null,
          owners: [{ "@odata.type": "#microsoft.graph.user", id: mallory, displayName: "Mallory Member" }],
        },
      ],
    });
    const before = lab.emulator.state();
    const stackFile = writeStackFile(shared.tmp, "runbook", runbookLines());
    const applied = await rehearse({ host: shared.host, emulatorUrl: lab.emulator.url, stackFile });
    expect(applied.ok).toBe(false);
    expect(applied.errors.join("\n")).toContain(`squatted: an application under entra-sspr's uniqueName exists`);
    expect(applied.errors.join("\n")).toContain(`Mallory Member (user, ${mallory})`);
    expect(lab.emulator.state()).toEqual(before);
  });
});
