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
  if (recipient.type === "email") {
    const to = recipient.value.toLowerCase();
    const refused = disallowedEmailDomain(organization, to);
    if (refused) {
      return new DeliveryFailure(
        "domain_not_allowed",
        `${refused.domain} is not one of the organization's allowed email domains (${refused.allowed.join(", ")}); nothing was sent`,
      );
    }
    const suppressed = await findSuppression(db, organization.id, to);
    if (suppressed)
      return new DeliveryFailure("suppressed", `${to} is suppressed since ${suppressed.createdAt.toISOString()} (${suppressed.reason}); nothing was sent`);
  }
  if (recipient.type === "webhook" || recipient.type === "teams") {
    const disabled = await findDisabledEndpoint(db, organization.id, recipient.value);
    if (disabled)
      return new DeliveryFailure("endpoint_disabled", `This URL answered 410 Gone on ${disabled.createdAt.toISOString()}; no more deliveries go to it`);
  }
  return null;
}
