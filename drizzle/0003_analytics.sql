CREATE TABLE `analytics_channels` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`name` text NOT NULL,
	`is_private` integer NOT NULL,
	`is_archived` integer DEFAULT false NOT NULL,
	`is_member` integer NOT NULL,
	`auto_joined_at` integer,
	`covered_from_ts` text,
	`covered_to_ts` text,
	`pass_oldest_ts` text,
	`pass_latest_ts` text,
	`pass_cursor` text,
	`status` text DEFAULT 'never' NOT NULL,
	`last_sync_started_at` integer,
	`last_sync_finished_at` integer,
	`last_sync_messages` integer,
	`last_sync_error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`)
);
--> statement-breakpoint
CREATE TABLE `analytics_daily` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`person_id` text NOT NULL,
	`day` integer NOT NULL,
	`messages` integer NOT NULL,
	`threads_started` integer NOT NULL,
	`replies` integer NOT NULL,
	`help_replies` integer NOT NULL,
	`reactions_given` integer NOT NULL,
	`reactions_received` integer NOT NULL,
	`mentions_given` integer NOT NULL,
	`mentions_received` integer NOT NULL,
	`links` integer NOT NULL,
	`bot_messages` integer NOT NULL,
	PRIMARY KEY(`team_id`, `day`, `channel_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_daily_person_idx` ON `analytics_daily` (`team_id`,`person_id`,`day`);--> statement-breakpoint
CREATE TABLE `analytics_links` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`ts` text NOT NULL,
	`kind` text NOT NULL,
	`count` integer NOT NULL,
	`author_id` text NOT NULL,
	`day` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`, `ts`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `analytics_links_day_idx` ON `analytics_links` (`team_id`,`day`);--> statement-breakpoint
CREATE TABLE `analytics_mentions` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`ts` text NOT NULL,
	`user_id` text NOT NULL,
	`author_id` text NOT NULL,
	`day` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`, `ts`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_mentions_day_idx` ON `analytics_mentions` (`team_id`,`channel_id`,`day`);--> statement-breakpoint
CREATE TABLE `analytics_messages` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`ts` text NOT NULL,
	`ts_ms` integer NOT NULL,
	`day` integer NOT NULL,
	`thread_ts` text,
	`author_id` text,
	`bot_id` text,
	`subtype` text,
	`is_bot` integer NOT NULL,
	`is_person` integer NOT NULL,
	`is_reply` integer NOT NULL,
	`is_root` integer NOT NULL,
	`is_question` integer NOT NULL,
	`is_help_reply` integer DEFAULT false NOT NULL,
	`char_count` integer NOT NULL,
	`reply_count` integer NOT NULL,
	`reply_users` text NOT NULL,
	`latest_reply` text,
	`replies_synced_ts` text,
	`reactions_received` integer NOT NULL,
	`mention_count` integer NOT NULL,
	`link_count` integer NOT NULL,
	`link_mask` integer NOT NULL,
	`file_count` integer NOT NULL,
	`edited` integer NOT NULL,
	`text` text,
	PRIMARY KEY(`team_id`, `channel_id`, `ts`)
);
--> statement-breakpoint
CREATE INDEX `analytics_messages_thread_idx` ON `analytics_messages` (`team_id`,`channel_id`,`thread_ts`);--> statement-breakpoint
CREATE INDEX `analytics_messages_time_idx` ON `analytics_messages` (`team_id`,`ts_ms`);--> statement-breakpoint
CREATE INDEX `analytics_messages_day_idx` ON `analytics_messages` (`team_id`,`channel_id`,`day`);--> statement-breakpoint
CREATE TABLE `analytics_reactions` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`ts` text NOT NULL,
	`name` text NOT NULL,
	`user_id` text NOT NULL,
	`author_id` text,
	`day` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`, `ts`, `name`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `analytics_reactions_day_idx` ON `analytics_reactions` (`team_id`,`channel_id`,`day`);--> statement-breakpoint
CREATE TABLE `analytics_threads` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`thread_ts` text NOT NULL,
	`root_author_id` text NOT NULL,
	`root_is_question` integer NOT NULL,
	`ts_ms` integer NOT NULL,
	`day` integer NOT NULL,
	`replies` integer NOT NULL,
	`participants` integer NOT NULL,
	`first_reply_ms` integer,
	`link_mask` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`, `thread_ts`)
);
--> statement-breakpoint
CREATE INDEX `analytics_threads_time_idx` ON `analytics_threads` (`team_id`,`ts_ms`);