CREATE TABLE `events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`time` text NOT NULL,
	`resource_name` text NOT NULL,
	`physical_id` text NOT NULL,
	`resource_type` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_id_unique` ON `events` (`id`);--> statement-breakpoint
CREATE TABLE `resources` (
	`name` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`physical_id` text DEFAULT '' NOT NULL,
	`physical_name` text NOT NULL,
	`attempted_at` integer,
	`attributes` text NOT NULL,
	`properties` text NOT NULL,
	`deletion_policy` text NOT NULL,
	`required_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
CREATE TABLE `stack` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`owner` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`reason` text NOT NULL,
	`template` text NOT NULL,
	`environment` text NOT NULL,
	`files` text NOT NULL,
	`parameters` text NOT NULL,
	`disable_rollback` integer NOT NULL,
	`timeout_mins` integer,
	`tags` text,
	`outputs` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text,
	`deleted_at` text,
	`deadline` integer
);
