CREATE TABLE `join_notices` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`reason` text NOT NULL,
	`message_ts` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`)
);
