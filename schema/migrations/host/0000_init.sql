CREATE TABLE `agent_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`zone` text NOT NULL,
	`last_heartbeat` integer NOT NULL,
	`failed` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `instances` (
	`server_id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`power_state` integer NOT NULL,
	`console_log` text DEFAULT '' NOT NULL,
	`spawned_at` text NOT NULL
);
