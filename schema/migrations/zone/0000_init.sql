CREATE TABLE `claims` (
	`server_id` text PRIMARY KEY NOT NULL,
	`host_id` text NOT NULL,
	`project_id` text NOT NULL,
	`vcpus` integer NOT NULL,
	`ram_mb` integer NOT NULL,
	`disk_gb` integer NOT NULL,
	`group_id` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `claims_host` ON `claims` (`host_id`);--> statement-breakpoint
CREATE INDEX `claims_group` ON `claims` (`group_id`);--> statement-breakpoint
CREATE TABLE `hosts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`vcpus` integer NOT NULL,
	`ram_mb` integer NOT NULL,
	`disk_gb` integer NOT NULL,
	`cpu_ratio` real DEFAULT 1 NOT NULL,
	`ram_ratio` real DEFAULT 1 NOT NULL,
	`disk_ratio` real DEFAULT 1 NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`alive` integer DEFAULT true NOT NULL,
	`dedicated_project` text
);
