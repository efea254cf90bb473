CREATE INDEX `delivery_attempts_started_idx` ON `delivery_attempts` (`started_at`);--> statement-breakpoint
CREATE INDEX `audit_events_created_idx` ON `audit_events` (`created_at`);