/**
 * What the people lines add to a phone's purposes while Microsoft-provided SMS and voice still serve them: their last
 * day and its source (`components/calendar.ts`); nothing from 1 February 2027 on. Tests that quote a phone line use it
 * so they say what the product says on the day they run.
 */
import { dayBefore, entryOf, inForce } from "../../components/calendar";

const smsVoiceEnd = entryOf("sms-voice-end");

export const phonesUntil = inForce(smsVoiceEnd, new Date())
  ? ""
  : ` until ${dayBefore(smsVoiceEnd.date)} (${smsVoiceEnd.sources[0].url})`;

/** Whether the day the tests run is before Microsoft-provided SMS and voice end. */
export const beforeSmsVoiceEnd = !inForce(smsVoiceEnd, new Date());
