import { DeliveryFailure } from "../channels/types";
import type { Db } from "../db/client";
import type { RecipientType } from "../db/schema";
import { findDisabledEndpoint } from "./endpoints";
import { disallowedEmailDomain } from "./recipients";
import { findSuppression } from "./suppressions";

/**
 * What is refused before any channel is asked, for report deliveries and test sends alike: an
 * email domain the organization does not allow, a suppressed address, a webhook or Teams workflow
 * URL that answered 410. Null when the message may go.
 */
export async function refusalOf(
  db: Db,
  organization: { id: string; allowedEmailDomains: string[] },
  recipient: { type: RecipientType; value: string },
): Promise<DeliveryFailure | null> {
  const suppression = recipient.type === "email" ? await findSuppression(db, organization.id, recipient.value) : null;
  const disabledEndpoint = recipient.type === "webhook" || recipient.type === "teams" ? await findDisabledEndpoint(db, organization.id, recipient.value) : null;
  return refusalFrom(organization, recipient, { suppression, disabledEndpoint });
}

/** The same decision from rows already read (a delivery reads them with everything else it needs). */
export function refusalFrom(
  organization: { allowedEmailDomains: string[] },
  recipient: { type: RecipientType; value: string },
  known: { suppression: { createdAt: Date; reason: string } | null; disabledEndpoint: { createdAt: Date } | null },
): DeliveryFailure | null {
  if (recipient.type === "email") {
    const to = recipient.value.toLowerCase();
    const refused = disallowedEmailDomain(organization, to);
    if (refused) {
      return new DeliveryFailure(
        "domain_not_allowed",
        `${refused.domain} is not one of the organization's allowed email domains (${refused.allowed.join(", ")}); nothing was sent`,
      );
    }
    const suppressed = known.suppression;
    if (suppressed)
      return new DeliveryFailure("suppressed", `${to} is suppressed since ${suppressed.createdAt.toISOString()} (${suppressed.reason}); nothing was sent`);
  }
  if (recipient.type === "webhook" || recipient.type === "teams") {
    const disabled = known.disabledEndpoint;
    if (disabled)
      return new DeliveryFailure("endpoint_disabled", `This URL answered 410 Gone on ${disabled.createdAt.toISOString()}; no more deliveries go to it`);
  }
  return null;
}
