CREATE TABLE `delivery_rollups` (
	`organization_id` text NOT NULL,
	`hour_start` integer NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organization_id`, `hour_start`, `channel`, `status`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `delivery_rollups_hour_idx` ON `delivery_rollups` (`hour_start`);--> statement-breakpoint
CREATE TABLE `duration_rollups` (
	`organization_id` text NOT NULL,
	`hour_start` integer NOT NULL,
	`report_type` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organization_id`, `hour_start`, `report_type`, `duration_ms`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `duration_rollups_hour_idx` ON `duration_rollups` (`hour_start`);--> statement-breakpoint
CREATE TABLE `execution_rollups` (
	`organization_id` text NOT NULL,
	`bucket_start` integer NOT NULL,
	`status` text NOT NULL,
	`error_class` text DEFAULT '' NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`organization_id`, `bucket_start`, `status`, `error_class`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `execution_rollups_bucket_idx` ON `execution_rollups` (`bucket_start`);--> statement-breakpoint
ALTER TABLE `organization_usage` ADD `storage_files` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- The files counter starts from the live files each organization has now.
UPDATE `organization_usage` SET `storage_files` = (SELECT count(*) FROM `report_executions` e
 WHERE e.`organization_id` = `organization_usage`.`organization_id` AND e.`file_key` IS NOT NULL AND e.`file_expired_at` IS NULL);
--> statement-breakpoint
-- The rollups start from the last 35 days of history, so the dashboard's figures carry on across this migration.
INSERT INTO execution_rollups (organization_id, bucket_start, status, error_class, n)
SELECT organization_id, (completed_at / 300000) * 300000, status, CASE WHEN status = 'failed' THEN coalesce(error_class, 'internal') ELSE '' END, count(*)
  FROM report_executions WHERE status IN ('completed', 'failed') AND completed_at >= (unixepoch() - 35 * 86400) * 1000
 GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO duration_rollups (organization_id, hour_start, report_type, duration_ms, n)
SELECT e.organization_id, (e.completed_at / 3600000) * 3600000, coalesce(r.report_type, 'deleted report'), case when e.duration_ms < 100 then max(e.duration_ms, 0) else cast(substr(cast(e.duration_ms as text), 1, 2) || substr('000000000000000000', 1, length(cast(e.duration_ms as text)) - 2) as integer) end, count(*)
  FROM report_executions e LEFT JOIN scheduled_reports r ON r.id = e.scheduled_report_id
 WHERE e.status = 'completed' AND e.duration_ms IS NOT NULL AND e.completed_at >= (unixepoch() - 35 * 86400) * 1000
 GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO delivery_rollups (organization_id, hour_start, channel, status, n)
SELECT organization_id, (updated_at / 3600000) * 3600000, recipient_type, status, count(*)
  FROM report_deliveries WHERE status IN ('sent', 'failed', 'bounced') AND updated_at >= (unixepoch() - 35 * 86400) * 1000
 GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Every run that ends completed or failed is counted by the statement that records it (src/db/schema/rollups.ts).
CREATE TRIGGER `report_executions_outcome_rollup` AFTER UPDATE OF status ON `report_executions`
WHEN new.status IN ('completed', 'failed') AND old.status IS NOT new.status
BEGIN
	INSERT INTO execution_rollups (organization_id, bucket_start, status, error_class, n)
	VALUES (new.organization_id, (coalesce(new.completed_at, new.created_at) / 300000) * 300000, new.status, CASE WHEN new.status = 'failed' THEN coalesce(new.error_class, 'internal') ELSE '' END, 1)
	ON CONFLICT (organization_id, bucket_start, status, error_class) DO UPDATE SET n = n + 1;
	INSERT INTO duration_rollups (organization_id, hour_start, report_type, duration_ms, n)
	SELECT new.organization_id, (coalesce(new.completed_at, new.created_at) / 3600000) * 3600000,
	       coalesce((SELECT report_type FROM scheduled_reports WHERE id = new.scheduled_report_id), 'deleted report'),
	       case when new.duration_ms < 100 then max(new.duration_ms, 0) else cast(substr(cast(new.duration_ms as text), 1, 2) || substr('000000000000000000', 1, length(cast(new.duration_ms as text)) - 2) as integer) end, 1
	 WHERE new.status = 'completed' AND new.duration_ms IS NOT NULL
	ON CONFLICT (organization_id, hour_start, report_type, duration_ms) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_executions_outcome_rollup_insert` AFTER INSERT ON `report_executions`
WHEN new.status IN ('completed', 'failed')
BEGIN
	INSERT INTO execution_rollups (organization_id, bucket_start, status, error_class, n)
	VALUES (new.organization_id, (coalesce(new.completed_at, new.created_at) / 300000) * 300000, new.status, CASE WHEN new.status = 'failed' THEN coalesce(new.error_class, 'internal') ELSE '' END, 1)
	ON CONFLICT (organization_id, bucket_start, status, error_class) DO UPDATE SET n = n + 1;
	INSERT INTO duration_rollups (organization_id, hour_start, report_type, duration_ms, n)
	SELECT new.organization_id, (coalesce(new.completed_at, new.created_at) / 3600000) * 3600000,
	       coalesce((SELECT report_type FROM scheduled_reports WHERE id = new.scheduled_report_id), 'deleted report'),
	       case when new.duration_ms < 100 then max(new.duration_ms, 0) else cast(substr(cast(new.duration_ms as text), 1, 2) || substr('000000000000000000', 1, length(cast(new.duration_ms as text)) - 2) as integer) end, 1
	 WHERE new.status = 'completed' AND new.duration_ms IS NOT NULL
	ON CONFLICT (organization_id, hour_start, report_type, duration_ms) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_deliveries_outcome_rollup` AFTER UPDATE OF status ON `report_deliveries`
WHEN new.status IN ('sent', 'failed', 'bounced') AND old.status IS NOT new.status
BEGIN
	INSERT INTO delivery_rollups (organization_id, hour_start, channel, status, n)
	VALUES (new.organization_id, (new.updated_at / 3600000) * 3600000, new.recipient_type, new.status, 1)
	ON CONFLICT (organization_id, hour_start, channel, status) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_deliveries_outcome_rollup_insert` AFTER INSERT ON `report_deliveries`
WHEN new.status IN ('sent', 'failed', 'bounced')
BEGIN
	INSERT INTO delivery_rollups (organization_id, hour_start, channel, status, n)
	VALUES (new.organization_id, (new.updated_at / 3600000) * 3600000, new.recipient_type, new.status, 1)
	ON CONFLICT (organization_id, hour_start, channel, status) DO UPDATE SET n = n + 1;
END;
