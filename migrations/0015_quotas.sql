CREATE TABLE `organization_quotas` (
	`organization_id` text PRIMARY KEY NOT NULL,
	`active_reports` integer,
	`recipients_per_report` integer,
	`min_interval_minutes` integer,
	`storage_bytes` integer,
	`emails_per_day` integer,
	`retention_days` integer,
	`concurrent_runs` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `organization_usage` (
	`organization_id` text PRIMARY KEY NOT NULL,
	`storage_bytes` integer DEFAULT 0 NOT NULL,
	`emails_day` text DEFAULT '' NOT NULL,
	`emails_sent` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- The storage quota moves from organizations.storage_quota_bytes (no longer read) to the overrides:
-- an organization whose quota differs from the old default keeps it as an override.
-- organization_usage has no backfill here on purpose: each organization's row is created at its first
-- use from a scan of its live files (src/domain/usage.ts), so files that code from before this
-- migration records during a deploy are still counted.
INSERT INTO `organization_quotas` (`organization_id`, `storage_bytes`, `updated_at`)
SELECT `id`, `storage_quota_bytes`, CAST(unixepoch('subsec') * 1000 AS integer) FROM `organizations` WHERE `storage_quota_bytes` != 10737418240;
