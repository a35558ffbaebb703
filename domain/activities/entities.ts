import type { EntitySchema } from '@mikro-orm/postgresql';

export const activityEntities: EntitySchema<any>[] = [];
