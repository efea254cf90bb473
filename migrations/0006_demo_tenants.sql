CREATE TABLE `__new_demo_customers` (
	`organization_id` text NOT NULL,
	`id` integer NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`region` text NOT NULL,
	`segment` text NOT NULL,
	`signup_date` text NOT NULL,
	PRIMARY KEY(`organization_id`, `id`)
);
--> statement-breakpoint
INSERT INTO `__new_demo_customers`("organization_id", "id", "name", "email", "region", "segment", "signup_date") SELECT "organization_id", "id", "name", "email", "region", "segment", "signup_date" FROM `demo_customers`;--> statement-breakpoint
DROP TABLE `demo_customers`;--> statement-breakpoint
ALTER TABLE `__new_demo_customers` RENAME TO `demo_customers`;--> statement-breakpoint
CREATE TABLE `__new_demo_orders` (
	`organization_id` text NOT NULL,
	`id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`region` text NOT NULL,
	`order_date` text NOT NULL,
	`quantity` integer NOT NULL,
	`amount_cents` integer NOT NULL,
	`status` text NOT NULL,
	PRIMARY KEY(`organization_id`, `id`)
);
--> statement-breakpoint
INSERT INTO `__new_demo_orders`("organization_id", "id", "customer_id", "product_id", "region", "order_date", "quantity", "amount_cents", "status") SELECT "organization_id", "id", "customer_id", "product_id", "region", "order_date", "quantity", "amount_cents", "status" FROM `demo_orders`;--> statement-breakpoint
DROP TABLE `demo_orders`;--> statement-breakpoint
ALTER TABLE `__new_demo_orders` RENAME TO `demo_orders`;--> statement-breakpoint
CREATE INDEX `demo_orders_org_date_idx` ON `demo_orders` (`organization_id`,`order_date`,`id`);--> statement-breakpoint
CREATE INDEX `demo_orders_org_region_date_idx` ON `demo_orders` (`organization_id`,`region`,`order_date`);--> statement-breakpoint
CREATE INDEX `demo_orders_org_customer_idx` ON `demo_orders` (`organization_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `__new_demo_products` (
	`organization_id` text NOT NULL,
	`id` integer NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`unit_price_cents` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `id`)
);
--> statement-breakpoint
INSERT INTO `__new_demo_products`("organization_id", "id", "sku", "name", "category", "unit_price_cents") SELECT "organization_id", "id", "sku", "name", "category", "unit_price_cents" FROM `demo_products`;--> statement-breakpoint
DROP TABLE `demo_products`;--> statement-breakpoint
ALTER TABLE `__new_demo_products` RENAME TO `demo_products`;--> statement-breakpoint
CREATE TABLE `__new_demo_tickets` (
	`organization_id` text NOT NULL,
	`id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`subject` text NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`assignee` text,
	`opened_date` text NOT NULL,
	`resolved_date` text,
	PRIMARY KEY(`organization_id`, `id`)
);
--> statement-breakpoint
INSERT INTO `__new_demo_tickets`("organization_id", "id", "customer_id", "subject", "priority", "status", "assignee", "opened_date", "resolved_date") SELECT "organization_id", "id", "customer_id", "subject", "priority", "status", "assignee", "opened_date", "resolved_date" FROM `demo_tickets`;--> statement-breakpoint
DROP TABLE `demo_tickets`;--> statement-breakpoint
ALTER TABLE `__new_demo_tickets` RENAME TO `demo_tickets`;--> statement-breakpoint
CREATE INDEX `demo_tickets_org_status_date_idx` ON `demo_tickets` (`organization_id`,`status`,`opened_date`,`id`);