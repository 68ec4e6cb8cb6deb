CREATE TABLE `budget_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`month` text NOT NULL,
	`threshold` integer NOT NULL,
	`spent` integer NOT NULL,
	`budget` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `budget_notices_once` ON `budget_notices` (`domain_id`,`month`,`threshold`);--> statement-breakpoint
CREATE TABLE `budgets` (
	`domain_id` text PRIMARY KEY NOT NULL,
	`amount` integer NOT NULL,
	`thresholds` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `credits` (
	`id` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`amount` integer NOT NULL,
	`reason` text NOT NULL,
	`granted_at` text NOT NULL,
	`expires_at` text,
	`granted_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `credits_domain` ON `credits` (`domain_id`,`granted_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `bandwidth_mbps` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `renewal_of` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `starts_at` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `auto_renew` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `bandwidth_mbps` integer;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `renewal_of` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `auto_renew` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_renewal` ON `subscriptions` (`renewal_of`);