CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`retention_days` integer DEFAULT 90 NOT NULL,
	`email_sender_name` text,
	`allowed_email_domains` text DEFAULT '[]' NOT NULL,
	`pdf_branding` text DEFAULT '{}' NOT NULL,
	`disabled_report_types` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_org_created_idx` ON `users` (`organization_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `demo_customers` (
	`organization_id` text NOT NULL,
	`id` integer NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`region` text NOT NULL,
	`segment` text NOT NULL,
	`signup_date` text NOT NULL,
	PRIMARY KEY(`organization_id`, `id`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `demo_orders` (
	`organization_id` text NOT NULL,
	`id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`region` text NOT NULL,
	`order_date` text NOT NULL,
	`quantity` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`status` text NOT NULL,
	PRIMARY KEY(`organization_id`, `id`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `demo_orders_org_date_idx` ON `demo_orders` (`organization_id`,`order_date`,`id`);--> statement-breakpoint
CREATE INDEX `demo_orders_org_region_date_idx` ON `demo_orders` (`organization_id`,`region`,`order_date`);--> statement-breakpoint
CREATE INDEX `demo_orders_org_customer_idx` ON `demo_orders` (`organization_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `demo_products` (
	`organization_id` text NOT NULL,
	`id` integer NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`unit_price_cents` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `id`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `demo_tickets` (
	`organization_id` text NOT NULL,
	`id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`subject` text NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`assignee` text,
	`opened_date` text NOT NULL,
	`resolved_date` text,
	PRIMARY KEY(`organization_id`, `id`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `demo_tickets_org_status_date_idx` ON `demo_tickets` (`organization_id`,`status`,`opened_date`,`id`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`actor_id` text,
	`type` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`data` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `audit_events_org_created_idx` ON `audit_events` (`organization_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_events_org_type_idx` ON `audit_events` (`organization_id`,`type`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_org_actor_idx` ON `audit_events` (`organization_id`,`actor_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`queue` text NOT NULL,
	`message_id` text NOT NULL,
	`organization_id` text,
	`execution_id` text,
	`delivery_id` text,
	`body` text NOT NULL,
	`reason` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_queue_message_unique` ON `dead_letters` (`queue`,`message_id`);--> statement-breakpoint
CREATE INDEX `dead_letters_org_created_idx` ON `dead_letters` (`organization_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `report_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`report_execution_id` text NOT NULL,
	`recipient_type` text NOT NULL,
	`recipient_value` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`provider_message_id` text,
	`delivered_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`report_execution_id`) REFERENCES `report_executions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_deliveries_recipient_unique` ON `report_deliveries` (`report_execution_id`,`recipient_type`,`recipient_value`);--> statement-breakpoint
CREATE INDEX `report_deliveries_org_status_idx` ON `report_deliveries` (`organization_id`,`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `report_executions` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`scheduled_report_id` text NOT NULL,
	`scheduled_for` integer NOT NULL,
	`trigger` text NOT NULL,
	`triggered_by` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempt` integer DEFAULT 0 NOT NULL,
	`format` text NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`duration_ms` integer,
	`row_count` integer,
	`next_attempt_at` integer,
	`trace_id` text NOT NULL,
	`file_key` text,
	`file_name` text,
	`file_size` integer,
	`error_message` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_executions_report_time_unique` ON `report_executions` (`scheduled_report_id`,`scheduled_for`);--> statement-breakpoint
CREATE INDEX `report_executions_org_created_idx` ON `report_executions` (`organization_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `report_executions_org_status_idx` ON `report_executions` (`organization_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `report_executions_report_created_idx` ON `report_executions` (`scheduled_report_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `report_executions_running_idx` ON `report_executions` (`started_at`) WHERE status = 'running';--> statement-breakpoint
CREATE INDEX `report_executions_pending_idx` ON `report_executions` (`next_attempt_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE TABLE `scheduled_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`organization_id` text NOT NULL,
	`created_by` text,
	`name` text NOT NULL,
	`report_type` text NOT NULL,
	`report_parameters` text NOT NULL,
	`format` text NOT NULL,
	`schedule_config` text NOT NULL,
	`cron` text NOT NULL,
	`timezone` text NOT NULL,
	`catch_up` text DEFAULT 'latest' NOT NULL,
	`start_at` integer,
	`end_at` integer,
	`recipients` text NOT NULL,
	`compress` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`next_run_at` integer,
	`last_run_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `scheduled_reports_due_idx` ON `scheduled_reports` (`is_active`,`next_run_at`);--> statement-breakpoint
CREATE INDEX `scheduled_reports_org_created_idx` ON `scheduled_reports` (`organization_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `scheduled_reports_org_type_idx` ON `scheduled_reports` (`organization_id`,`report_type`);