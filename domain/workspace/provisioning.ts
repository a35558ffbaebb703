// A workspace's defaults, seeded by the provisionWorkspace workflow. Each module registers a
// seeder here; every seeder is idempotent (natural keys, upserts) because activities retry.
import type { EntityManager } from '@mikro-orm/postgresql';
import { dealPipelineSeeder } from '../deals/pipeline-defaults.ts';

export interface Seeder { name: string; module: string | null; seed: (em: EntityManager, workspaceId: string) => Promise<void> }

export const seeders: Seeder[] = [
  dealPipelineSeeder,
];
