CREATE TABLE `server_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`server_id` text NOT NULL,
	`action` text NOT NULL,
	`request_id` text NOT NULL,
	`user_id` text,
	`message` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `server_events_server` ON `server_events` (`server_id`);