ALTER TABLE `report_executions` ADD `error_class` text;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `pinned` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `file_expired_at` integer;--> statement-breakpoint
CREATE INDEX `report_executions_org_completed_idx` ON `report_executions` (`organization_id`,`completed_at`);--> statement-breakpoint
CREATE INDEX `report_executions_files_idx` ON `report_executions` (`completed_at`) WHERE file_key is not null and file_expired_at is null;--> statement-breakpoint
CREATE INDEX `report_executions_live_files_idx` ON `report_executions` (`organization_id`,`file_size`) WHERE file_key is not null and file_expired_at is null;--> statement-breakpoint
CREATE INDEX `report_deliveries_org_created_idx` ON `report_deliveries` (`organization_id`,`created_at`);