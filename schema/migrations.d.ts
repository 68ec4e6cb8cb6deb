// drizzle-kit's generated migrations.js files, bundled with their .sql files as text.
declare module '*/migrations.js' {
  const value: {
    journal: { entries: { idx: number; tag: string; when: number; breakpoints: boolean }[] };
    migrations: Record<string, string>;
  };
  export default value;
}
declare module '*.sql' {
  const sql: string;
  export default sql;
}
