CREATE TABLE `peerings` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`request_vpc` text NOT NULL,
	`accept_vpc` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `vpc_routes` (
	`id` text PRIMARY KEY NOT NULL,
	`vpc_id` text NOT NULL,
	`type` text NOT NULL,
	`destination` text NOT NULL,
	`nexthop` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `vpc_routes_destination` ON `vpc_routes` (`vpc_id`,`destination`);