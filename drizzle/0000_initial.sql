CREATE TABLE `questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`source` text NOT NULL,
	`user_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`message_ts` text NOT NULL,
	`thread_ts` text NOT NULL,
	`instruction` text,
	`reply_channel_id` text NOT NULL,
	`reply_thread_ts` text,
	`status_ts` text,
	`event_id` text,
	`status` text DEFAULT 'received' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`error_ref` text,
	`answer_ts` text,
	`model` text,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`received_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `questions_dedupe_unique` ON `questions` (`team_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `questions_status_idx` ON `questions` (`team_id`,`status`);--> statement-breakpoint
CREATE INDEX `questions_reply_thread_idx` ON `questions` (`team_id`,`reply_channel_id`,`reply_thread_ts`);--> statement-breakpoint
CREATE TABLE `workspace_settings` (
	`team_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_by` text,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`team_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `workspaces` (
	`team_id` text PRIMARY KEY NOT NULL,
	`name` text,
	`domain` text,
	`bot_user_id` text NOT NULL,
	`bot_id` text,
	`first_seen_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
