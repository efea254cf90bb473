ALTER TABLE `organizations` ADD `data_tenant_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `organizations_data_tenant_key_unique` ON `organizations` (`data_tenant_key`);