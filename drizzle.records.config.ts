import { defineConfig } from 'drizzle-kit';

// The records shards (RECORDS, RECORDS_1…) share one schema and one migrations folder.
export default defineConfig({
    dialect: 'sqlite',
    schema: './schema/records-tables.ts',
    out: './schema/records-migrations'
});
