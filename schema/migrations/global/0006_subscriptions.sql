CREATE TABLE `billing_accounts` (
	`domain_id` text PRIMARY KEY NOT NULL,
	`support_elections` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`client_token` text,
	`kind` text NOT NULL,
	`region_id` text NOT NULL,
	`product` text NOT NULL,
	`term_years` integer,
	`count` integer NOT NULL,
	`one_time_price` integer NOT NULL,
	`monthly_price` integer NOT NULL,
	`status` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`paid_at` text
);
--> statement-breakpoint
CREATE INDEX `orders_domain` ON `orders` (`domain_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `orders_client_token` ON `orders` (`domain_id`,`client_token`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`order_id` text NOT NULL,
	`kind` text NOT NULL,
	`region_id` text NOT NULL,
	`product` text NOT NULL,
	`term_years` integer,
	`count` integer NOT NULL,
	`one_time_price` integer NOT NULL,
	`monthly_price` integer NOT NULL,
	`started_at` text NOT NULL,
	`ended_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subscriptions_domain` ON `subscriptions` (`domain_id`,`kind`);