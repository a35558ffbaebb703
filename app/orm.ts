// The ORM with every module's entities and migrations.
import { initOrm, ormOptions, type MikroORM, type OrmSchema } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import { registry } from './modules.ts';

export const ormSchema: OrmSchema = { entities: registry.entities, migrations: registry.migrations };

export const openOrm = (databaseUrl: string, logger?: Logger): Promise<MikroORM> => initOrm(databaseUrl, ormSchema, logger);

export const productOrmOptions = (databaseUrl: string, logger?: Logger) => ormOptions(databaseUrl, ormSchema, logger);
