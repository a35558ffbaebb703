import type { EntitySchema } from '@mikro-orm/postgresql';

export const leadEntities: EntitySchema<any>[] = [];
