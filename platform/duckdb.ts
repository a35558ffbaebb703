// DuckDB for BI: an in-memory engine that reads PostgreSQL through the postgres extension.
// Extensions come only from config.duckdbExtensionDir (bin/setup puts the signed extension there):
// auto-install would download from the internet, which production must never depend on.
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue, type JS } from '@duckdb/node-api';
import type { Config } from './config.ts';

export type DuckDbParams = DuckDBValue[] | Record<string, DuckDBValue>;
/** A row as plain JS values (BIGINT/HUGEINT come back as bigint, timestamps as Date). */
export type DuckDbRow = Record<string, JS>;

export interface DuckDb {
  /** Runs one statement with bound parameters ($1 / $name) and returns its rows. */
  query: <T extends DuckDbRow = DuckDbRow>(sql: string, params?: DuckDbParams) => Promise<T[]>;
  /** Attaches a PostgreSQL database READ_ONLY as `alias` (tables are then `alias.schema.table`). */
  attachPostgres: (databaseUrl: string, alias: string) => Promise<void>;
  /**
   * Once the attachments are made: no file access, no further ATTACH, and the settings locked,
   * so SQL run afterwards (a BI query) reaches only what is attached. Attached tables still work.
   */
  seal: () => Promise<void>;
  /** The raw connection, for what `query` does not cover (streaming, appenders). */
  connection: DuckDBConnection;
  /** Another connection to the same instance (its attachments included), for concurrent work. */
  connect: () => Promise<DuckDBConnection>;
  close: () => void;
}

/**
 * Opens an in-memory DuckDB with the postgres extension loaded from the local extension dir.
 * `settings` are further startup options (threads, memory_limit, ...).
 */
export async function createDuckDb(config: Pick<Config, 'duckdbExtensionDir'>, settings: Record<string, string> = {}): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    ...settings,
    extension_directory: config.duckdbExtensionDir,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    // `postgres` is DuckDB's alias for the postgres_scanner extension file.
    await connection.run('LOAD postgres');
  } catch (err) {
    connection.closeSync();
    instance.closeSync();
    throw new Error(`DuckDB could not load the postgres extension from ${config.duckdbExtensionDir} `
      + `(bin/setup installs it under v<duckdb version>/<platform>/): ${(err as Error).message}`);
  }

  const query = async <T extends DuckDbRow>(sql: string, params?: DuckDbParams): Promise<T[]> => {
    const reader = await connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  };

  return {
    connection,
    connect: () => instance.connect(),
    query,
    async attachPostgres(databaseUrl, alias) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(alias)) throw new Error(`invalid DuckDB alias "${alias}"`);
      const conninfo = postgresUrlToConnInfo(databaseUrl);
      // ATTACH takes no bound parameters: the conninfo goes in as a SQL string literal.
      try {
        await connection.run(`ATTACH ${sqlString(conninfo)} AS "${alias}" (TYPE postgres, READ_ONLY)`);
      } catch (err) {
        // DuckDB echoes the whole connection string, password included, in its errors.
        throw new Error(redactPassword((err as Error).message, databaseUrl));
      }
    },
    async seal() {
      await connection.run('SET enable_external_access = false');
      await connection.run('SET lock_configuration = true');
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * postgres://user:pass@host:port/db?sslmode=require → libpq key/value conninfo. Each value is
 * single-quoted with \ and ' backslash-escaped, so no part of the URL can inject another key.
 */
export function postgresUrlToConnInfo(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('database URL is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error(`database URL must use postgres: or postgresql:, got "${url.protocol}"`);
  const pairs: Array<[string, string]> = [];
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literals lose their brackets
  if (host) pairs.push(['host', decodeURIComponent(host)]);
  if (url.port) pairs.push(['port', url.port]);
  const dbname = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (dbname) pairs.push(['dbname', dbname]);
  if (url.username) pairs.push(['user', decodeURIComponent(url.username)]);
  if (url.password) pairs.push(['password', decodeURIComponent(url.password)]);
  for (const [key, value] of url.searchParams) {
    // libpq URI parameters (sslmode, application_name, ...) keep their names in conninfo.
    if (!/^[a-z_]+$/.test(key)) throw new Error(`unsupported database URL parameter "${key}"`);
    pairs.push([key, value]);
  }
  return pairs.map(([k, v]) => `${k}='${v.replace(/[\\']/g, (c) => `\\${c}`)}'`).join(' ');
}

/** A DuckDB SQL string literal (DuckDB does not treat backslashes as escapes in '...'). */
function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function redactPassword(message: string, databaseUrl: string): string {
  let out = message.replace(/password='(?:[^'\\]|\\.)*'/g, "password='***'");
  let password = '';
  try { password = decodeURIComponent(new URL(databaseUrl).password); } catch { /* nothing more to redact */ }
  // Very short passwords would blank out ordinary words; the pattern above already covers them.
  if (password.length >= 4) out = out.split(password).join('***');
  return out;
}
