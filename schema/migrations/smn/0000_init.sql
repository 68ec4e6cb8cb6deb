CREATE TABLE `attempts` (
	`message_id` text NOT NULL,
	`subscription_urn` text NOT NULL,
	`n` integer NOT NULL,
	`at` text NOT NULL,
	`http_status` integer,
	`error` text,
	`ms` integer NOT NULL,
	PRIMARY KEY(`message_id`, `subscription_urn`, `n`)
);
--> statement-breakpoint
CREATE TABLE `deliveries` (
	`message_id` text NOT NULL,
	`subscription_urn` text NOT NULL,
	`topic_urn` text NOT NULL,
	`type` text NOT NULL,
	`protocol` text NOT NULL,
	`endpoint` text NOT NULL,
	`subject` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer,
	`expires_at` integer NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`done_at` text,
	PRIMARY KEY(`message_id`, `subscription_urn`)
);
--> statement-breakpoint
CREATE INDEX `deliveries_due` ON `deliveries` (`status`,`next_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`topic_urn` text NOT NULL,
	`key` text,
	`subject` text NOT NULL,
	`bodies` text NOT NULL,
	`published_at` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_key_unique` ON `messages` (`key`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`urn` text PRIMARY KEY NOT NULL,
	`topic_urn` text NOT NULL,
	`protocol` text NOT NULL,
	`endpoint` text NOT NULL,
	`remark` text NOT NULL,
	`status` integer NOT NULL,
	`token` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_endpoint` ON `subscriptions` (`topic_urn`,`protocol`,`endpoint`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_token` ON `subscriptions` (`token`);--> statement-breakpoint
CREATE TABLE `templates` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`protocol` text NOT NULL,
	`content` text NOT NULL,
	`tag_names` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `templates_name` ON `templates` (`name`,`protocol`);--> statement-breakpoint
CREATE TABLE `topics` (
	`urn` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`id` text NOT NULL,
	`display_name` text NOT NULL,
	`origin` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `topics_name_unique` ON `topics` (`name`);--> statement-breakpoint
CREATE TABLE `usage_events` (
	`id` text PRIMARY KEY NOT NULL,
	`meter` text NOT NULL,
	`resource_id` text NOT NULL,
	`action` text NOT NULL,
	`quantity` real NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_events_resource` ON `usage_events` (`resource_id`);--> statement-breakpoint
CREATE INDEX `usage_events_at` ON `usage_events` (`at`);