CREATE TABLE `revocation_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`issued_before` integer NOT NULL,
	`project_id` text,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `revoked_tokens` (
	`jti` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sign_in_failures` (
	`id` integer PRIMARY KEY NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`locked_until` integer
);
