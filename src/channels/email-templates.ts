import { escapeHtml, humanSize } from "./format";

export type EmailContent = { subject: string; text: string; html: string };

type Detail = [label: string, value: string];

function layout(
  title: string,
  intro: string,
  details: Detail[],
  action?: { label: string; url: string; note: string },
  footer?: string,
): Pick<EmailContent, "text" | "html"> {
  const text = [
    intro,
    "",
    ...details.map(([k, v]) => `${k}: ${v}`),
    ...(action ? ["", `${action.label}: ${action.url}`, action.note] : []),
    ...(footer ? ["", footer] : []),
    "",
    "-- Scheduled Reports",
  ].join("\n");
  const rows = details
    .map(([k, v]) => `<tr><th align="left" style="padding:4px 12px 4px 0;color:#555">${escapeHtml(k)}</th><td style="padding:4px 0">${escapeHtml(v)}</td></tr>`)
    .join("");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1b1b1b">
<h2 style="margin:0 0 12px">${escapeHtml(title)}</h2>
<p>${escapeHtml(intro)}</p>
<table style="border-collapse:collapse">${rows}</table>
${action ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:8px 14px;background:#1f6feb;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(action.label)}</a></p><p style="color:#555;font-size:13px">${escapeHtml(action.note)}</p>` : ""}
${footer ? `<p style="color:#555;font-size:13px">${escapeHtml(footer)}</p>` : ""}
<p style="color:#888;font-size:12px">Sent by Scheduled Reports</p>
</body></html>`;
  return { text, html };
}

export function reportEmail(r: {
  reportName: string;
  format: string;
  generatedAt: Date;
  rowCount: number | null;
  fileSize: number | null;
  fileName: string;
  note: string | null;
  attached: boolean;
  link: { url: string; expiresAt: Date };
}): EmailContent {
  const details: Detail[] = [
    ["Report", r.reportName],
    ["Format", r.format.toUpperCase()],
    ["Generated at", r.generatedAt.toISOString()],
    ["Rows", r.rowCount === null ? "unknown" : String(r.rowCount)],
    ["File", `${r.fileName} (${humanSize(r.fileSize)})`],
  ];
  if (r.note) details.push(["Note", r.note]);
  const intro = r.attached
    ? `Your scheduled report "${r.reportName}" is ready. The file is attached.`
    : `Your scheduled report "${r.reportName}" is ready. The file is too large to attach: download it with the link below.`;
  const action = r.attached
    ? undefined
    : { label: "Download the report", url: r.link.url, note: `This link is valid until ${r.link.expiresAt.toISOString()}.` };
  return { subject: `Scheduled Report: ${r.reportName}`, ...layout(r.reportName, intro, details, action) };
}

export function executionFailedEmail(r: {
  reportName: string;
  executionId: string;
  scheduledFor: Date;
  attempts: number;
  error: string;
  appUrl: string;
}): EmailContent {
  return {
    subject: `Scheduled Report failed: ${r.reportName}`,
    ...layout(
      `${r.reportName} failed`,
      `Your scheduled report "${r.reportName}" could not be generated.`,
      [
        ["Report", r.reportName],
        ["Scheduled for", r.scheduledFor.toISOString()],
        ["Attempts", String(r.attempts)],
        ["Error", r.error],
        ["Execution", r.executionId],
      ],
      undefined,
      `You can retry the run from the execution history at ${r.appUrl}.`,
    ),
  };
}

export function deliveryFailedEmail(r: {
  reportName: string;
  executionId: string;
  recipientType: string;
  recipient: string;
  status: string;
  attempts: number;
  error: string;
  appUrl: string;
}): EmailContent {
  return {
    subject: `Scheduled Report not delivered: ${r.reportName}`,
    ...layout(
      `${r.reportName} was not delivered`,
      `A delivery of your scheduled report "${r.reportName}" ${r.status === "bounced" ? "bounced" : "failed"} and will not be retried.`,
      [
        ["Report", r.reportName],
        ["Recipient", `${r.recipient} (${r.recipientType})`],
        ["Attempts", String(r.attempts)],
        ["Error", r.error],
        ["Execution", r.executionId],
      ],
      undefined,
      `Fix the recipient, then retry the failed deliveries from the execution history at ${r.appUrl}.`,
    ),
  };
}

export function alertEmail(r: {
  rule: string;
  severity: string;
  message: string;
  value: number;
  threshold: number;
  windowStart: Date;
  scope: "system" | "organization";
  appUrl: string;
  /** Set for the "resolved" notice of an alert that cleared. */
  resolvedAt?: Date | null;
}): EmailContent {
  const resolved = Boolean(r.resolvedAt);
  return {
    subject: (resolved ? `[resolved] Scheduled Reports alert: ${r.rule.replace(/_/g, " ")}` : `[${r.severity}] Scheduled Reports alert: ${r.message}`).slice(
      0,
      200,
    ),
    ...layout(
      `${resolved ? "Resolved" : "Alert"}: ${r.rule.replace(/_/g, " ")}`,
      r.message,
      [
        ["Severity", r.severity],
        ["Scope", r.scope === "system" ? "the whole system" : "your organization"],
        ["Value", String(r.value)],
        ["Threshold", String(r.threshold)],
        ["Since", r.windowStart.toISOString()],
        ...(r.resolvedAt ? ([["Resolved", r.resolvedAt.toISOString()]] as [string, string][]) : []),
      ],
      undefined,
      `See the alerts in the dashboard at ${r.appUrl}.`,
    ),
  };
}

export function passwordResetEmail(r: { name: string; url: string; expiresAt: Date }): EmailContent {
  return {
    subject: "Set a new password for Scheduled Reports",
    ...layout(
      "Set a new password",
      `Hello ${r.name}, someone (we hope you) asked to set a new password for your Scheduled Reports account.`,
      [],
      { label: "Set a new password", url: r.url, note: `This link works once, until ${r.expiresAt.toISOString()}. A newer request replaces it.` },
      "If you did not ask for this, ignore this email: your password stays as it is. Setting a new password signs you out everywhere.",
    ),
  };
}

export function signupConfirmationEmail(r: { name: string; organizationName: string; url: string; expiresAt: Date }): EmailContent {
  return {
    subject: "Confirm your Scheduled Reports sign-up",
    ...layout(
      "Confirm your sign-up",
      `Hello ${r.name}, someone (we hope you) signed up for Scheduled Reports with this address.`,
      [["Organization", r.organizationName]],
      { label: "Confirm and sign in", url: r.url, note: `This link works once, until ${r.expiresAt.toISOString()}.` },
      "If you did not sign up, ignore this email: nothing is created until the link is used.",
    ),
  };
}

export function signupExistingAccountEmail(r: { name: string; signInUrl: string; resetUrl: string }): EmailContent {
  return {
    subject: "Someone tried to sign up with your address",
    ...layout(
      "You already have an account",
      `Hello ${r.name}, someone (perhaps you) tried to sign up for Scheduled Reports with this address, which already has an account. Nothing was changed.`,
      [["Sign in", r.signInUrl]],
      { label: "Forgot your password? Set a new one", url: r.resetUrl, note: "An address belongs to one account." },
      "If this was not you, you can ignore this email.",
    ),
  };
}

export function memberInvitationEmail(r: { name: string; organizationName: string; role: string; url: string; expiresAt: Date }): EmailContent {
  return {
    subject: `You are invited to ${r.organizationName} on Scheduled Reports`,
    ...layout(
      "You are invited",
      `Hello ${r.name}, an admin of ${r.organizationName} invited you to Scheduled Reports.`,
      [
        ["Organization", r.organizationName],
        ["Role", r.role],
      ],
      { label: "Accept and set your password", url: r.url, note: `This link works once, until ${r.expiresAt.toISOString()}.` },
      "If you did not expect this, ignore this email.",
    ),
  };
}

export function memberInvitationExistingAccountEmail(r: { name: string; organizationName: string }): EmailContent {
  return {
    subject: `You were invited to ${r.organizationName} on Scheduled Reports`,
    ...layout(
      "An invitation you cannot accept with this address",
      `Hello ${r.name}, an admin of ${r.organizationName} invited this address to Scheduled Reports. It already has an account in another organization, and an address belongs to one account, so the invitation cannot be accepted with it.`,
      [["Organization", r.organizationName]],
      undefined,
      "To join, ask that admin to invite another address of yours. If you did not expect this, ignore this email.",
    ),
  };
}
