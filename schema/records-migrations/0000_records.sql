CREATE TABLE `record_sequences` (
	`connection_uid` text PRIMARY KEY NOT NULL,
	`last_seq` integer NOT NULL,
	`last_ts` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `records` (
	`connection_uid` text NOT NULL,
	`model` text NOT NULL,
	`variant` text NOT NULL,
	`id` text NOT NULL,
	`data` text NOT NULL,
	`hash` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_modified_at` integer NOT NULL,
	`deleted_at` integer,
	`pruned_at` integer,
	`seq` integer NOT NULL,
	PRIMARY KEY(`connection_uid`, `model`, `variant`, `id`)
);
--> statement-breakpoint
CREATE INDEX `records_changes_idx` ON `records` (`connection_uid`,`model`,`variant`,`last_modified_at`,`seq`,`pruned_at`);--> statement-breakpoint
CREATE TABLE `run_counts` (
	`run_id` text NOT NULL,
	`model` text NOT NULL,
	`added` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`deleted` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`invalid` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`run_id`, `model`)
);
