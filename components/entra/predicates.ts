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
