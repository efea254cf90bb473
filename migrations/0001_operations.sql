CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`rule` text NOT NULL,
	`window_start` integer NOT NULL,
	`severity` text NOT NULL,
	`value` real NOT NULL,
	`threshold` real NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_rule_window_unique` ON `alerts` (`organization_id`,`rule`,`window_start`);--> statement-breakpoint
CREATE INDEX `alerts_org_created_idx` ON `alerts` (`organization_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `storage_quota_bytes` integer DEFAULT 10737418240 NOT NULL;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `error_class` text;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `pinned` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `file_expired_at` integer;--> statement-breakpoint
CREATE INDEX `report_executions_org_completed_idx` ON `report_executions` (`organization_id`,`completed_at`);--> statement-breakpoint
CREATE INDEX `report_executions_completed_idx` ON `report_executions` (`completed_at`);--> statement-breakpoint
CREATE INDEX `report_executions_files_idx` ON `report_executions` (`completed_at`) WHERE file_key is not null and file_expired_at is null;--> statement-breakpoint
CREATE INDEX `report_executions_live_files_idx` ON `report_executions` (`organization_id`,`file_size`) WHERE file_key is not null and file_expired_at is null;--> statement-breakpoint
CREATE INDEX `report_deliveries_org_created_idx` ON `report_deliveries` (`organization_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `report_deliveries_created_idx` ON `report_deliveries` (`created_at`);