CREATE TABLE `invoice_lines` (
	`invoice_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`service` text NOT NULL,
	`product` text NOT NULL,
	`region_id` text NOT NULL,
	`resource_id` text DEFAULT '' NOT NULL,
	`label` text NOT NULL,
	`line_id` text,
	`revision_id` text,
	`unit_price` integer,
	`unit` text NOT NULL,
	`quantity` text NOT NULL,
	`base_quantity` text NOT NULL,
	`per` text NOT NULL,
	`amount` integer NOT NULL,
	`from_at` text NOT NULL,
	`to_at` text NOT NULL,
	`clause` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`invoice_id`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`domain_id` text NOT NULL,
	`month` text NOT NULL,
	`status` text NOT NULL,
	`currency` text NOT NULL,
	`total` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`closed_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_month` ON `invoices` (`domain_id`,`month`);