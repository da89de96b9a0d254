CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`environment_id` text NOT NULL,
	`key_hash` text NOT NULL,
	`key_prefix` text NOT NULL,
	`label` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_environment_idx` ON `api_keys` (`environment_id`);--> statement-breakpoint
CREATE TABLE `connection_purges` (
	`uid` text PRIMARY KEY NOT NULL,
	`environment_id` text NOT NULL,
	`requested_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `connections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uid` text NOT NULL,
	`environment_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`provider` text NOT NULL,
	`auth_mode` text NOT NULL,
	`end_user_id` text,
	`end_user_email` text,
	`end_user_display_name` text,
	`end_user_tags` text,
	`organization_id` text,
	`organization_display_name` text,
	`tags` text DEFAULT '{}' NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`connection_config` text DEFAULT '{}' NOT NULL,
	`webhook_url_override` text,
	`last_fetched_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_uid_unique` ON `connections` (`uid`);--> statement-breakpoint
CREATE UNIQUE INDEX `connections_identity_idx` ON `connections` (`environment_id`,`integration_id`,`connection_id`);--> statement-breakpoint
CREATE INDEX `connections_environment_created_idx` ON `connections` (`environment_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `connections_end_user_idx` ON `connections` (`environment_id`,`end_user_id`);--> statement-breakpoint
CREATE INDEX `connections_organization_idx` ON `connections` (`environment_id`,`organization_id`);--> statement-breakpoint
CREATE TABLE `custom_providers` (
	`environment_id` text NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_providers_environment_name_idx` ON `custom_providers` (`environment_id`,`name`);--> statement-breakpoint
CREATE TABLE `environments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`webhook_signing_key_enc` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `environments_name_unique` ON `environments` (`name`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`environment_id` text NOT NULL,
	`unique_key` text NOT NULL,
	`provider` text NOT NULL,
	`display_name` text,
	`forward_webhooks` integer DEFAULT true NOT NULL,
	`credentials_type` text,
	`credentials_enc` text,
	`integration_config` text,
	`custom_enc` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `integrations_environment_key_idx` ON `integrations` (`environment_id`,`unique_key`);--> statement-breakpoint
CREATE TABLE `operations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`environment_id` text NOT NULL,
	`type` text NOT NULL,
	`action` text NOT NULL,
	`status` text NOT NULL,
	`integration_key` text,
	`connection_id` text,
	`request_id` text,
	`method` text,
	`path` text,
	`http_status` integer,
	`error_code` text,
	`error_message` text,
	`meta` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`duration_ms` integer
);
--> statement-breakpoint
CREATE INDEX `operations_environment_idx` ON `operations` (`environment_id`,`id`);--> statement-breakpoint
CREATE INDEX `operations_connection_idx` ON `operations` (`environment_id`,`connection_id`,`id`);--> statement-breakpoint
CREATE INDEX `operations_integration_idx` ON `operations` (`environment_id`,`integration_key`,`id`);--> statement-breakpoint
CREATE INDEX `operations_started_idx` ON `operations` (`started_at`);