ALTER TABLE `agent_state` ADD `host_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `agent_state` ADD `agent_stopped` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `instances` ADD `zone` text DEFAULT '' NOT NULL;