CREATE TABLE `usage_rollups` (
	`domain_id` text PRIMARY KEY NOT NULL,
	`from_hour` text NOT NULL,
	`through_hour` text NOT NULL,
	`stamp` integer DEFAULT 0 NOT NULL
);
