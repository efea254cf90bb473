CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`prefix` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`expires_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_secret_hash_unique` ON `api_keys` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_org_created_idx` ON `api_keys` (`organization_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`organization_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`created_at` integer NOT NULL,
	`locked_until` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `key`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_expires_idx` ON `idempotency_keys` (`expires_at`);--> statement-breakpoint
ALTER TABLE `report_executions` ADD `parameter_overrides` text;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `data_as_of` integer;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `delivery_skipped` text;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `result_hash` text;--> statement-breakpoint
ALTER TABLE `scheduled_reports` ADD `created_by_api_key_id` text;--> statement-breakpoint
ALTER TABLE `scheduled_reports` ADD `key` text;--> statement-breakpoint
ALTER TABLE `scheduled_reports` ADD `deliver_when` text DEFAULT '{"mode":"always"}' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `scheduled_reports_org_key_unique` ON `scheduled_reports` (`organization_id`,`key`);