ALTER TABLE `scheduled_reports` ADD `empty_result` text DEFAULT 'deliver' NOT NULL;--> statement-breakpoint
ALTER TABLE `scheduled_reports` ADD `trigger_parameters` text DEFAULT '[]' NOT NULL;