ALTER TABLE `connections` ADD `records_shard` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_schedules` ADD `frequency_override_ms` integer;--> statement-breakpoint
ALTER TABLE `sync_schedules` ADD `running_since` integer;--> statement-breakpoint
ALTER TABLE `sync_schedules` ADD `last_sync_date` integer;--> statement-breakpoint
ALTER TABLE `sync_schedules` ADD `last_run_status` text;--> statement-breakpoint
ALTER TABLE `sync_schedules` ADD `last_run_at` integer;--> statement-breakpoint
ALTER TABLE `sync_schedules` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `sync_schedules` ADD `latest_result` text;--> statement-breakpoint
ALTER TABLE `sync_schedules` ADD `record_counts` text DEFAULT '{}' NOT NULL;