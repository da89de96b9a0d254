CREATE TABLE `action_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`environment_id` text NOT NULL,
	`connection_uid` text NOT NULL,
	`integration_key` text NOT NULL,
	`connection_id` text NOT NULL,
	`action_name` text NOT NULL,
	`input` text,
	`status` text NOT NULL,
	`output` text,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`max_retries` integer DEFAULT 0 NOT NULL,
	`async` integer NOT NULL,
	`operation_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `action_runs_environment_idx` ON `action_runs` (`environment_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `deployed_functions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`deployment_id` integer NOT NULL,
	`environment_id` text NOT NULL,
	`integration_key` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`bundle_hash` text NOT NULL,
	`config` text NOT NULL,
	FOREIGN KEY (`deployment_id`) REFERENCES `deployments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deployed_functions_identity_idx` ON `deployed_functions` (`deployment_id`,`integration_key`,`type`,`name`);--> statement-breakpoint
CREATE INDEX `deployed_functions_lookup_idx` ON `deployed_functions` (`environment_id`,`integration_key`,`name`);--> statement-breakpoint
CREATE TABLE `deployments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`environment_id` text NOT NULL,
	`version` integer NOT NULL,
	`message` text,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deployments_version_idx` ON `deployments` (`environment_id`,`version`);--> statement-breakpoint
CREATE INDEX `deployments_active_idx` ON `deployments` (`environment_id`,`active`);--> statement-breakpoint
CREATE TABLE `environment_variables` (
	`environment_id` text NOT NULL,
	`name` text NOT NULL,
	`value_enc` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `environment_variables_identity_idx` ON `environment_variables` (`environment_id`,`name`);--> statement-breakpoint
CREATE TABLE `function_bundles` (
	`hash` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `operation_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`operation_id` integer NOT NULL,
	`environment_id` text NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`payload` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `operation_messages_operation_idx` ON `operation_messages` (`operation_id`,`id`);--> statement-breakpoint
CREATE INDEX `operation_messages_created_idx` ON `operation_messages` (`created_at`);--> statement-breakpoint
CREATE TABLE `sync_schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`environment_id` text NOT NULL,
	`connection_uid` text NOT NULL,
	`integration_key` text NOT NULL,
	`sync_name` text NOT NULL,
	`variant` text DEFAULT 'base' NOT NULL,
	`frequency_ms` integer NOT NULL,
	`status` text NOT NULL,
	`next_run_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_schedules_identity_idx` ON `sync_schedules` (`connection_uid`,`sync_name`,`variant`);--> statement-breakpoint
CREATE INDEX `sync_schedules_due_idx` ON `sync_schedules` (`status`,`next_run_at`);--> statement-breakpoint
ALTER TABLE `environments` ADD `egress_settings` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `operations` ADD `parent_id` integer;--> statement-breakpoint
CREATE INDEX `operations_parent_idx` ON `operations` (`parent_id`);