-- Custom SQL migration file, put your code below! --
-- Read the Docs ends every build in `finished` or `cancelled`; `success` says how it went.
-- Builds that ended in Bindery's old `failed` state become finished and unsuccessful.
UPDATE "builds" SET "state" = 'finished', "success" = false WHERE "state" = 'failed';--> statement-breakpoint
-- Projects that were single-version keep being so under Read the Docs' newer setting.
UPDATE "projects" SET "versioning_scheme" = 'single_version_without_translations' WHERE "single_version";
