CREATE TABLE `alarm_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`alarm_id` text NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`at` integer NOT NULL,
	`reason` text NOT NULL,
	`datapoints` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `alarm_history_alarm` ON `alarm_history` (`alarm_id`,`at`);--> statement-breakpoint
CREATE TABLE `alarm_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`metric` text NOT NULL,
	`condition` text NOT NULL,
	`enabled` integer NOT NULL,
	`action_enabled` integer NOT NULL,
	`level` integer NOT NULL,
	`alarm_actions` text NOT NULL,
	`ok_actions` text NOT NULL,
	`insufficient_data_actions` text NOT NULL,
	`state` text NOT NULL,
	`state_since` integer NOT NULL,
	`last_evaluated_at` integer,
	`last_action_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
