DROP INDEX `alerts_rule_window_unique`;--> statement-breakpoint
ALTER TABLE `alerts` ADD `subject_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_rule_window_unique` ON `alerts` (`organization_id`,`rule`,`window_start`,`subject_id`);--> statement-breakpoint
ALTER TABLE `scheduled_reports` ADD `empty_result` text DEFAULT 'deliver' NOT NULL;--> statement-breakpoint
ALTER TABLE `scheduled_reports` ADD `trigger_parameters` text DEFAULT '[]' NOT NULL;