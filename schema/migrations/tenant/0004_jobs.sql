CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`targets` text NOT NULL,
	`sub_job_ids` text NOT NULL,
	`ended_at` text,
	`created_at` text NOT NULL
);
