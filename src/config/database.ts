// Where the data lives: the one piece of configuration the storage layer reads (kept apart so it imports nothing).
export type DatabaseConfig = { client: 'mysql2'; url: string } | { client: 'better-sqlite3'; filename: string };
