CREATE TABLE `price_notices` (
	`id` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`revision_id` text NOT NULL,
	`published_at` text NOT NULL,
	`effective_from` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `price_notices_once` ON `price_notices` (`domain_id`,`revision_id`);--> statement-breakpoint
CREATE INDEX `price_notices_domain` ON `price_notices` (`domain_id`,`published_at`);--> statement-breakpoint
CREATE TABLE `price_revisions` (
	`id` text PRIMARY KEY NOT NULL,
	`line_id` text NOT NULL,
	`unit_price` integer NOT NULL,
	`kind` text NOT NULL,
	`effective_from` text NOT NULL,
	`ends_at` text,
	`published_at` text NOT NULL,
	`published_by` text DEFAULT '' NOT NULL,
	`note` text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `price_revisions_line` ON `price_revisions` (`line_id`,`effective_from`);--> statement-breakpoint
CREATE TABLE `usage_cursors` (
	`project_id` text PRIMARY KEY NOT NULL,
	`last_seq` integer NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `usage_hourly` (
	`domain_id` text NOT NULL,
	`project_id` text NOT NULL,
	`region_id` text NOT NULL,
	`meter` text NOT NULL,
	`resource_id` text NOT NULL,
	`attributes` text NOT NULL,
	`hour` text NOT NULL,
	`quantity` integer NOT NULL,
	PRIMARY KEY(`project_id`, `meter`, `resource_id`, `attributes`, `hour`)
);
--> statement-breakpoint
CREATE INDEX `usage_hourly_domain` ON `usage_hourly` (`domain_id`,`hour`);--> statement-breakpoint
CREATE TABLE `usage_ledger` (
	`event_id` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`project_id` text NOT NULL,
	`region_id` text NOT NULL,
	`meter` text NOT NULL,
	`resource_id` text NOT NULL,
	`action` text NOT NULL,
	`quantity` integer NOT NULL,
	`attributes` text NOT NULL,
	`at` text NOT NULL,
	`ingested_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_ledger_resource` ON `usage_ledger` (`project_id`,`resource_id`,`at`);--> statement-breakpoint
CREATE INDEX `usage_ledger_domain` ON `usage_ledger` (`domain_id`,`at`);--> statement-breakpoint
-- Every line priced before revisions existed gets its first revision: the price it has, from the date it took effect.
INSERT OR IGNORE INTO `price_revisions` (`id`, `line_id`, `unit_price`, `kind`, `effective_from`, `published_at`)
SELECT `id` || ':initial', `id`, CAST(round(`price_eur` * 100000000) AS INTEGER), 'initial',
  coalesce(`effective_from`, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), coalesce(`effective_from`, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
FROM `prices`;
