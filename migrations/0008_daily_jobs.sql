CREATE TABLE `daily_jobs` (
	`name` text PRIMARY KEY NOT NULL,
	`last_day` text NOT NULL,
	`ran_at` integer NOT NULL
);
