CREATE TABLE `points` (
	`series_id` integer NOT NULL,
	`at` integer NOT NULL,
	`value` real NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`series_id`, `at`)
);
--> statement-breakpoint
CREATE INDEX `points_expiry` ON `points` (`expires_at`);--> statement-breakpoint
CREATE TABLE `rollups` (
	`series_id` integer NOT NULL,
	`period` integer NOT NULL,
	`start` integer NOT NULL,
	`count` integer NOT NULL,
	`sum` real NOT NULL,
	`min` real NOT NULL,
	`max` real NOT NULL,
	`sum_squares` real NOT NULL,
	PRIMARY KEY(`series_id`, `period`, `start`)
);
--> statement-breakpoint
CREATE INDEX `rollups_age` ON `rollups` (`period`,`start`);--> statement-breakpoint
CREATE TABLE `series` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`namespace` text NOT NULL,
	`metric_name` text NOT NULL,
	`dimensions` text NOT NULL,
	`unit` text NOT NULL,
	`type` text NOT NULL,
	`last_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `series_key_unique` ON `series` (`key`);--> statement-breakpoint
CREATE INDEX `series_namespace` ON `series` (`namespace`,`metric_name`);