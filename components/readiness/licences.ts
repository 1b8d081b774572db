/**
 * Which subscriptions include what SSPR needs (Microsoft Learn `concept-sspr-licensing`): cloud-only reset comes with
 * Microsoft 365 Business Standard or higher and every Entra ID P1/P2 SKU; writeback and the registration report need
 * Entra ID P1/P2 (the AAD_PREMIUM or AAD_PREMIUM_P2 service plan). Pure.
 */
import { isRecord } from "../../lib/predicates";

type JsonObject = Record<string, unknown>;

const premiumPlans = ["AAD_PREMIUM", "AAD_PREMIUM_P2"];
/** Learn `concept-sspr-licensing`: Business Standard (part number O365_BUSINESS_PREMIUM) covers cloud-only reset. */
const ssprWithoutPremium = ["O365_BUSINESS_PREMIUM"];

function activeSkus(skus: JsonObject[]): JsonObject[] {
  return skus.filter((sku) => sku.capabilityStatus !== "Suspended" && sku.capabilityStatus !== "Deleted");
}

function hasPremiumPlan(sku: JsonObject): boolean {
  return (
    Array.isArray(sku.servicePlans) &&
    sku.servicePlans.some(
      (plan) =>
        isRecord(plan) && premiumPlans.includes(String(plan.servicePlanName)) && plan.provisioningStatus !== "Disabled",
    )
  );
}

export function entraIdPremium(skus: JsonObject[]): JsonObject | undefined {
  return activeSkus(skus).find(hasPremiumPlan);
}

export function ssprLicence(skus: JsonObject[]): JsonObject | undefined {
  return entraIdPremium(skus) ?? activeSkus(skus).find((sku) => ssprWithoutPremium.includes(String(sku.skuPartNumber)));
}
