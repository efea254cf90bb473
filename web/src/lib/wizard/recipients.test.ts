import { describe, expect, it } from "vitest";
import { isSlackChannel, recipientProblem, valueField } from "./recipients.ts";

describe("recipient values in the wizard", () => {
  it("accepts Slack channels only while a Slack app is connected; webhook URLs always", () => {
    expect(isSlackChannel("#reports")).toBe(true);
    expect(isSlackChannel("C0123ABCD")).toBe(true);
    expect(isSlackChannel("#Reports")).toBe(false);
    expect(recipientProblem({ type: "slack", value: "#reports" }, true)).toBe("");
    expect(recipientProblem({ type: "slack", value: "#reports" }, false)).toContain("Connect a Slack app");
    expect(recipientProblem({ type: "slack", value: "https://hooks.slack.com/services/T/B/X" }, false)).toBe("");
    expect(recipientProblem({ type: "slack", value: "reports" }, true)).toContain("#channel");
    expect(recipientProblem({ type: "slack", value: "#Reports" }, true)).toContain("lowercase");
  });

  it("wants a URL for Teams and webhooks, an address for email, and nothing yet when empty", () => {
    expect(recipientProblem({ type: "teams", value: "https://prod-1.westeurope.logic.azure.com/workflows/x" }, false)).toBe("");
    expect(recipientProblem({ type: "teams", value: "teams channel" }, false)).toBe("Not a URL (https://…)");
    expect(recipientProblem({ type: "email", value: "nobody" }, false)).toBe("Not an email address");
    expect(recipientProblem({ type: "webhook", value: "" }, false)).toBe("");
  });

  it("names the field after the channel", () => {
    expect(valueField("slack", true).placeholder).toContain("#reports");
    expect(valueField("slack", false).label).toBe("Webhook URL");
    expect(valueField("teams", false).label).toBe("Workflow URL");
  });
});
