/**
 * "Mobile app code" (software OATH tokens: Microsoft Authenticator's or another app's codes), one of the methods that
 * survive Microsoft's calendar, end to end: the stack's `methods.mobileAppCode: offer` goes program → component →
 * plugin → HTTP → emulator, the people lines say what it serves, readiness counts a user who registered a code app,
 * on 1 February 2027 too, and destroy puts the tenant back.
 */
import { destroyState } from "../../engine/engine";
import { rehearse } from "../../scripts/rehearse/rehearse";
import { assessReadiness } from "../../components/readiness/readinessReport";
import { readTenantSnapshot } from "../../provider/reader/readinessSnapshot";
import { createEntraClient } from "../../provider/http/client";
import { microsoftCalendar } from "../../components/calendar";
import { useRehearsalHost } from "../support/rehearsalHost";
import { useEmulator } from "../support/emulator";
import { includeIds, method } from "../support/tenantMethods";
import { runbookLines } from "../support/runbook";
import { writeStackFile } from "../support/stackFiles";

const shared = useRehearsalHost("mobile-app-code");
const lab = useEmulator();

it("offers software OATH tokens to the SSPR scope, says so in people, counts them, and destroy restores", async () => {
  const before = lab.emulator.state();
  expect(method(before, "SoftwareOath")).toMatchObject({ state: "disabled" });
  // c.vogel registered a code app; with Email that is two methods after 1 February 2027.
  const vogel = before.users.find((user) => user.userPrincipalName === "c.vogel@munyakazi.org");
  lab.reseed({
    authenticationMethods: {
      [String(vogel?.id)]: [
        { "@odata.type": "#microsoft.graph.emailAuthenticationMethod", id: "e1", emailAddress: "c.vogel@example.org" },
        {
          "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod",
          id: "s1",
          secretKey: null,
        },
      ],
    },
  });

  const stackFile = writeStackFile(
    shared.tmp,
    "codes",
    runbookLines({ methods: { email: true, mobilePhone: true, mobileAppCode: true } }),
  );
  const result = await rehearse({ host: shared.host, emulatorUrl: lab.emulator.url, stackFile });
  expect(result.errors).toEqual([]);
  const during = lab.emulator.state();
  expect(method(during, "SoftwareOath")).toMatchObject({ state: "enabled" });
  expect(includeIds(method(during, "SoftwareOath"))).toEqual(["all_users"]);
  expect(result.people?.lines).toContain(
    "Software OATH tokens: all users can now use it to reset their password with a code (SSPR) and as a second factor (MFA).",
  );

  // Readiness on the day Microsoft-provided phones end: the code app and Email keep c.vogel able to reset.
  const snapshot = await readTenantSnapshot(createEntraClient(lab.target), "munyakazi.org");
  const onEnd = { date: new Date("2027-02-01T00:00:00Z"), calendar: microsoftCalendar };
  const row = assessReadiness(snapshot, onEnd).rows.find((candidate) => candidate.user === "c.vogel@munyakazi.org");
  expect(row?.canReset).toBe(true);

  await destroyState(result.state, shared.host);
  expect(method(lab.emulator.state(), "SoftwareOath")).toEqual(method(before, "SoftwareOath"));
});
