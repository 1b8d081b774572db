/**
 * A mark entra-sspr did not write (garbled notes, or notes without a stack or claim), end to end: `up` is refused
 * naming what is wrong and how to reclaim it, and destroy fails (non-zero) with the tenant untouched, instead of
 * writing nothing and reporting ok beside a warning.
 */
import { createEntraClient } from "../../../provider/http/client";
import { destroyState, EngineError } from "../../../engine/engine";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { useEmulator } from "../../support/emulator";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { runbookLines } from "../../support/runbook";
import { writeStackFile } from "../../support/stackFiles";

const shared = useRehearsalHost("garbled");
const lab = useEmulator();

/** Someone with write access to the mark's application rewrites its notes. */
async function writeNotes(notes: string): Promise<void> {
  await createEntraClient(lab.target).send({
    api: "graph",
    method: "PATCH",
    path: "/v1.0/applications(uniqueName='entra-sspr-ownership-mark')",
    body: { notes },
    permission: "Application.ReadWrite.OwnedBy",
  });
}

describe("a mark entra-sspr did not write", () => {
  it.each([
    ["garbled notes", "not json at all", "its notes are not the JSON object entra-sspr writes"],
    ["notes without a claim", JSON.stringify({ stack: "evil/entra-sspr/x" }), "its notes hold no claim id"],
    ["notes without a stack", JSON.stringify({ claim: "x" }), "its notes name no stack"],
  ])("%s: up is refused naming it, destroy exits non-zero with the tenant untouched", async (_what, notes, problem) => {
    const stackFile = writeStackFile(shared.tmp, "runbook", runbookLines());
    const applied = await rehearse({ host: shared.host, emulatorUrl: lab.emulator.url, stackFile });
    expect(applied.errors).toEqual([]);
    await writeNotes(notes);

    const again = await rehearse({
      host: shared.host,
      emulatorUrl: lab.emulator.url,
      stackFile,
      priorState: applied.state,
    });
    expect(again.ok).toBe(false);
    expect(again.errors.join("\n")).toContain(problem);
    expect(again.errors.join("\n")).not.toContain("owned by stack ;");
    expect(again.errors.join("\n")).toContain("Owners, removes every owner that is not one of this project's");

    const changed = lab.emulator.state();
    const destroyed = destroyState(applied.state, shared.host);
    await expect(destroyed).rejects.toBeInstanceOf(EngineError);
    await expect(destroyed).rejects.toThrow(
      /destroy restored nothing: the tenant's ownership mark is not one entra-sspr wrote/,
    );
    expect(lab.emulator.state().passwordResetPolicies).toEqual(changed.passwordResetPolicies);
    expect(lab.emulator.state().authenticationMethodsPolicy).toEqual(changed.authenticationMethodsPolicy);
  });
});
