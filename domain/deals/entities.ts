import type { EntitySchema } from '@mikro-orm/postgresql';

export const dealEntities: EntitySchema<any>[] = [];
