CREATE TABLE `welcomed_users` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`welcomed_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `workspace_secrets` (
	`team_id` text NOT NULL,
	`name` text NOT NULL,
	`ciphertext` text NOT NULL,
	`last4` text NOT NULL,
	`set_by` text NOT NULL,
	`set_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `name`)
);
