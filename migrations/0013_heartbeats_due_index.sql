CREATE TABLE `consumer_heartbeats` (
	`queue` text PRIMARY KEY NOT NULL,
	`last_batch_at` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `scheduled_reports_due_idx`;--> statement-breakpoint
CREATE INDEX `scheduled_reports_due_idx` ON `scheduled_reports` (`is_active`,`next_run_at`,`id`);