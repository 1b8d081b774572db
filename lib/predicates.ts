/**
 * Small pure predicates shared by the stack config, the HTTP layer, the singletons' checks and the scripts, so that
 * a GUID, an https URL or an email address means the same thing everywhere.
 */

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const dnsLabel = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const domainPattern = new RegExp(`^(?:${dnsLabel}\\.)+[a-z]{2,63}$`, "i");
// Local part: anything but whitespace and "@" (guest UPNs carry "#EXT#").
const addressPattern = new RegExp(`^[^@\\s]+@(?:${dnsLabel}\\.)+[a-z]{2,63}$`, "i");

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isGuid(value: unknown): value is string {
  return typeof value === "string" && guidPattern.test(value);
}

export function isDomainName(value: string): boolean {
  return value.length <= 253 && domainPattern.test(value);
}

/** `name@domain.tld`, the shape of a user principal name (and of an email address). */
export function isUserPrincipalName(value: string): boolean {
  return value.length <= 113 && addressPattern.test(value);
}

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && addressPattern.test(value);
}

/** An https URL with a host and no user info (a helpdesk link is shown to every user). */
export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Text every user is shown (the helpdesk link on the reset page, the pilot group's name)
// ---------------------------------------------------------------------------------------------------------------

/**
 * The longest helpdesk link accepted. The portal's own limit is undocumented (docs/reference/portal-api.md#field-facts);
 * 2,048 is the longest URL that every browser and proxy in common use carries, and far more than a support page or
 * an email address (at most 254) needs, while a 100,000-character value would be shown to every user.
 */
export const helpdeskMaxLength = 2048;

/** Entra group display names: at most 256 characters (Graph's group resource). */
export const groupDisplayNameMaxLength = 256;

// Characters a reader cannot see or that reorder what they see: controls (Cc), format characters (Cf: the bidi
// overrides and isolates U+202A-U+202E and U+2066-U+2069, the marks U+200E/U+200F/U+061C, zero-width U+200B-U+200D,
// U+2060, U+FEFF, soft hyphen, tag characters), line/paragraph separators, private-use and unassigned code points.
// Also lone surrogates (Cs) and the default-ignorable letters and marks that render as nothing: U+034F COMBINING
// GRAPHEME JOINER, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0, U+17B4-U+17B5, the Mongolian variation
// selectors U+180B-U+180F, variation selectors U+FE00-U+FE0F and U+E0100-U+E01EF (Unicode's
// Default_Ignorable_Code_Point, https://www.unicode.org/reports/tr44/#Default_Ignorable_Code_Point).
const hiddenClass =
  "\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Co}\\p{Cn}\\p{Cs}\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u3164\\uFE00-\\uFE0F\\uFFA0\\u{E0100}-\\u{E01EF}";
// The class holds combining marks (variation selectors, U+034F) on purpose, each refused on its own: the lint rule
// against a mark combining with the character before it in a class does not apply to a list of code points.
// eslint-disable-next-line no-misleading-character-class
const hiddenCharacter = new RegExp(`[${hiddenClass}\\u034F]`, "u");
// eslint-disable-next-line no-misleading-character-class
const hiddenCharacters = new RegExp(`[${hiddenClass}\\u034F]`, "gu");

const characterNames: Record<number, string> = {
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE",
};

function codePointName(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return characterNames[code] === undefined ? hex : `${hex} ${characterNames[code]}`;
}

/**
 * Why a text shown to every user is refused, as an "expected ..." clause, or undefined when it is fine: too long,
 * or holding a character that is invisible, a control, or that reorders the text (a right-to-left override makes
 * `https://evil.example/moc.dleiftnom` read as a trusted address).
 */
export function shownTextProblem(value: string, maxLength: number): string | undefined {
  const length = [...value].length;
  if (length > maxLength) return `expected at most ${maxLength} characters (it has ${length})`;
  const hidden = hiddenCharacter.exec(value);
  if (hidden !== null) {
    const position = [...value.slice(0, hidden.index)].length + 1;
    return (
      `expected no invisible, control or bidirectional characters (found ${codePointName(hidden[0])} at ` +
      `character ${position}); every user is shown this text`
    );
  }
  return undefined;
}

/** Hidden characters spelled out as `\u{202E}`, so that a message never carries them (JSON leaves most as they are). */
export function spellHidden(text: string): string {
  return text.replace(hiddenCharacters, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}

/** A text as a message may show it: quoted, hidden characters spelled out, shortened to one line. */
export function visibleText(value: string, maxLength = 80): string {
  return spellHidden(JSON.stringify(value.length > maxLength ? `${value.slice(0, maxLength - 3)}...` : value));
}

/** A provider check failure for a shown text (`{ property, reason }`), the value with hidden characters spelled out. */
export function shownTextFailure(
  property: string,
  value: string,
  maxLength: number,
): { property: string; reason: string } {
  const problem = shownTextProblem(value, maxLength) ?? "expected a text every user may be shown";
  return { property, reason: `${property} is ${visibleText(value)}; ${problem}` };
}
