// MikroORM on PostgreSQL: one ORM per process, a forked EntityManager per request or activity.
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../domain/entities.ts';
import { migrationsList } from '../migrations/index.ts';
import type { Logger } from './logger.ts';

export type { MikroORM };
export type { EntityManager } from '@mikro-orm/postgresql';

export function ormOptions(databaseUrl: string, logger?: Logger): Options {
  return {
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    migrations: { migrationsList, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', snapshot: false },
    pool: { min: 0, max: 10 },
    debug: false,
    logger: (message: string) => logger?.debug({ orm: message }),
    allowGlobalContext: false,
  };
}

export async function initOrm(databaseUrl: string, logger?: Logger): Promise<MikroORM> {
  return MikroORM.init(ormOptions(databaseUrl, logger));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
