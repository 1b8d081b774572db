/**
 * The administrator reset policy (Microsoft Learn `concept-sspr-policy`, "Administrator reset policy differences"):
 * which roles it covers and when it is two-gate. Pure.
 */
import { isRecord } from "../../lib/predicates";
import type { PersonRecord } from "./readinessTypes";

type JsonObject = Record<string, unknown>;

/**
 * The roles the two-gate administrator policy applies to (Learn `concept-sspr-policy`, "Administrator reset policy
 * differences"). Roles not listed (Global Reader, Cloud Application Administrator, ...) reset as users do.
 */
export const twoGateRoles = [
  "AdHoc License Administrator",
  "Application Administrator",
  "Application Proxy Service Administrator",
  "Attack Simulation Administrator",
  "Attribute Assignment Administrator",
  "Attribute Definition Administrator",
  "Attribute Log Administrator",
  "Authentication Administrator",
  "Authentication Extensibility Administrator",
  "Authentication Policy Administrator",
  "Azure DevOps Administrator",
  "Azure Information Protection Administrator",
  "B2C IEF Keyset Administrator",
  "B2C IEF Policy Administrator",
  "Billing Administrator",
  "Cloud App Security Administrator",
  "Cloud Device Administrator",
  "Compliance Administrator",
  "Compliance Data Administrator",
  "Conditional Access Administrator",
  "Customer LockBox Access Approver",
  "Desktop Analytics Administrator",
  "Device Administrators",
  "Directory Synchronization Accounts",
  "Directory Writers",
  "Domain Name Administrator",
  "Dynamics 365 Administrator",
  "Dynamics 365 Business Central Administrator",
  "Edge Administrator",
  "Email Verified User Creator",
  "Exchange Administrator",
  "Exchange Recipient Administrator",
  "External ID User Flow Administrator",
  "External ID User Flow Attribute Administrator",
  "External Identity Provider Administrator",
  "Global Administrator",
  "Global Secure Access Administrator",
  "Groups Administrator",
  "Helpdesk Administrator",
  "Hybrid Identity Administrator",
  "Identity Governance Administrator",
  "Insights Administrator",
  "Intune Administrator",
  "Knowledge Administrator",
  "License Administrator",
  "Lifecycle Workflows Administrator",
  "Mailbox Administrator",
  "Microsoft Entra Joined Device Local Administrator",
  "Microsoft Hardware Warranty Administrator",
  "Microsoft365 Migration Administrator",
  "Modern Commerce Administrator",
  "Network Administrator",
  "Office Apps Administrator",
  "Organizational Branding Administrator",
  "Partner Tier1 Support",
  "Partner Tier2 Support",
  "Password Administrator",
  "Permissions Management Administrator",
  "Power BI Service Administrator",
  "Power Platform Administrator",
  "Printer Administrator",
  "Privileged Authentication Administrator",
  "Privileged Role Administrator",
  "Search Administrator",
  "Security Administrator",
  "Service Support Administrator",
  "SharePoint Administrator",
  "Skype for Business Administrator",
  "Teams Administrator",
  "Teams Communications Administrator",
  "Teams Devices Administrator",
  "User Administrator",
  "Virtual Visits Administrator",
  "Viva Goals Administrator",
  "Viva Pulse Administrator",
  "Windows365 Administrator",
  "Windows Update Deployment Administrator",
  "Yammer Administrator",
].map((name) => name.toLowerCase());

export function twoGateRolesOf(person: Pick<PersonRecord, "roles">): string[] {
  return person.roles.filter((role) => twoGateRoles.includes(role.displayName.toLowerCase())).map((r) => r.displayName);
}

/**
 * Learn: the two-gate policy applies once a custom domain is configured or Entra Connect synchronizes; otherwise
 * (only *.onmicrosoft.com, no sync) a one-gate policy applies. (The trial's first 30 days are not modelled.)
 */
export function twoGatePolicyApplies(organization: JsonObject | undefined): boolean {
  if (organization === undefined) return true;
  if (organization.onPremisesSyncEnabled === true) return true;
  const domains = Array.isArray(organization.verifiedDomains) ? organization.verifiedDomains.filter(isRecord) : [];
  if (domains.length === 0) return true;
  return domains.some((domain) => !String(domain.name).toLowerCase().endsWith(".onmicrosoft.com"));
}
