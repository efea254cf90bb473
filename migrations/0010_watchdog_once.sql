ALTER TABLE `report_deliveries` ADD `recovered_at_attempt` integer;--> statement-breakpoint
ALTER TABLE `report_executions` ADD `recovered_for` integer;