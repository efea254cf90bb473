CREATE TABLE `alert_routes` (
	`organization_id` text PRIMARY KEY NOT NULL,
	`email_admins` integer DEFAULT true NOT NULL,
	`slack_url_sealed` text,
	`webhook_url` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `alerts` ADD `resolved_at` integer;--> statement-breakpoint
CREATE INDEX `alerts_open_idx` ON `alerts` (`organization_id`,`rule`) WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX `alerts_created_idx` ON `alerts` (`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `notices` ADD `channel` text DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE `scheduled_reports` ADD `last_row_count` integer;--> statement-breakpoint
-- Alerts raised before alerts could be resolved are closed as they are: a "resolved" notice for each would be noise.
UPDATE `alerts` SET `resolved_at` = `created_at` WHERE `resolved_at` IS NULL;
