import type { EntitySchema } from '@mikro-orm/postgresql';

export const accountingEntities: EntitySchema<any>[] = [];
