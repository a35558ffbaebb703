import type { EntitySchema } from '@mikro-orm/postgresql';

export const taskEntities: EntitySchema<any>[] = [];
