/**
 * One vocabulary (docs/configuration.md): a stack file that still writes `true`/`false` for a method rehearses
 * exactly as one that writes `offer`/`leave`; rehearse says so once per method, in a note, and nowhere else (no
 * error, no Pulumi warning).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { rehearse } from "../../../scripts/rehearse/rehearse";
import { runbookLines } from "../../support/runbook";
import { useRehearsalHost } from "../../support/rehearsalHost";
import { useEmulator } from "../../support/emulator";

const shared = useRehearsalHost("older-spelling");
const lab = useEmulator();

/** A copy of the runbook's stack file with `methods` as given, rehearsed; its printed output. */
async function rehearsedWith(name: string, methods: Record<string, unknown>) {
  const folder = fs.mkdtempSync(path.join(shared.tmp, `${name}-`));
  const file = path.join(folder, "Pulumi.dev.yaml");
  const lines = runbookLines({ methods }).map((line) => `    ${line}`);
  fs.writeFileSync(
    file,
    ["config:", "  entra-sspr:tenantId: munyakazi.org", "  entra-sspr:sspr:", ...lines, ""].join("\n"),
  );
  lab.emulator.reset();
  const printed: string[] = [];
  const result = await rehearse({
    stackFile: file,
    host: shared.host,
    emulatorUrl: lab.emulator.url,
    log: (text) => printed.push(text),
  });
  return { result, output: printed.join("\n").replaceAll(path.relative(process.cwd(), folder), "<folder>") };
}

it("rehearses true/false exactly as offer/leave, with one note per method in the older spelling", async () => {
  const words = await rehearsedWith("words", { email: "offer", mobilePhone: "offer", officePhone: "leave" });
  const older = await rehearsedWith("older", { email: true, mobilePhone: true, officePhone: false });
  expect(older.result.errors).toEqual([]);
  const notes = older.output.split("\n").filter((line) => line.startsWith("Note: "));
  expect(notes).toEqual([
    'Note: entra-sspr:sspr.methods.email: true is the older spelling of "offer" (false of "leave"); both mean the same',
    'Note: entra-sspr:sspr.methods.mobilePhone: true is the older spelling of "offer" (false of "leave"); both mean the same',
    'Note: entra-sspr:sspr.methods.officePhone: false is the older spelling of "leave" (true of "offer"); both mean the same',
  ]);
  expect(words.output).not.toContain("Note:");
  // Without the notes, word for word the same run: the same writes, the same people, the same warnings.
  const withoutNotes = older.output
    .split("\n")
    .filter((line) => !line.startsWith("Note: "))
    .join("\n");
  expect(withoutNotes).toBe(words.output);
  expect(older.result.changes).toEqual(words.result.changes);
});
