CREATE TABLE `report_proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`proposer_id` text NOT NULL,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`report_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `report_proposals_team_idx` ON `report_proposals` (`team_id`);--> statement-breakpoint
CREATE TABLE `report_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`report_id` text NOT NULL,
	`slot` integer NOT NULL,
	`trigger` text NOT NULL,
	`state` text NOT NULL,
	`attempt` integer NOT NULL,
	`claimed_by` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`retry_at` integer,
	`finished_at` integer,
	`error` text,
	`channel_id` text,
	`message_ts` text,
	`owner_id` text NOT NULL,
	`prompt_tokens` integer,
	`completion_tokens` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_runs_slot_idx` ON `report_runs` (`report_id`,`slot`) WHERE trigger <> 'manual';--> statement-breakpoint
CREATE INDEX `report_runs_state_idx` ON `report_runs` (`state`,`retry_at`);--> statement-breakpoint
CREATE INDEX `report_runs_team_idx` ON `report_runs` (`team_id`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`name` text NOT NULL,
	`work` text NOT NULL,
	`destination` text NOT NULL,
	`cron` text NOT NULL,
	`time_zone` text NOT NULL,
	`schedule_description` text NOT NULL,
	`status` text NOT NULL,
	`next_run_at` integer,
	`last_finished_at` integer,
	`last_ok` integer,
	`last_error` text,
	`last_channel_id` text,
	`last_message_ts` text,
	`failure_notified` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `reports_team_idx` ON `reports` (`team_id`);--> statement-breakpoint
CREATE INDEX `reports_due_idx` ON `reports` (`status`,`next_run_at`);