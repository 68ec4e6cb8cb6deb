CREATE TABLE `held_addresses` (
	`ip` integer PRIMARY KEY NOT NULL,
	`eip_id` text NOT NULL,
	`project_id` text NOT NULL,
	`held_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `held_addresses_eip_id_unique` ON `held_addresses` (`eip_id`);