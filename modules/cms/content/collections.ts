// Collections: a key unique in the workspace and a schema of typed fields with unique keys.
import { newId } from '../../../platform/ids.ts';
import { validationFailed } from '../../../platform/errors.ts';
import type { BodyOf } from '../../../api/operations.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { CMS_IDS } from '../ids.ts';
import { assertUnique, getRecord } from '../records.ts';
import { CmsCollectionSchema, type CmsCollection, type CmsFieldDefinition } from '../entities.ts';
import { serializeCollection } from '../serializers.ts';
import { fieldSchemaOf } from './field-schema.ts';

export type NewCollection = BodyOf<'createCmsCollection'>;

export async function createCollection(ctx: TenantContext, input: NewCollection): Promise<CmsCollection> {
  const fields = normalizeFields(input.schema?.fields ?? []);
  fieldSchemaOf(fields); // compiled now, so the first entry finds it ready
  await assertUnique(ctx, CmsCollectionSchema, 'cms_collection', 'key', input.key);
  const now = new Date();
  const collection = ctx.em.create(CmsCollectionSchema, {
    id: newId(CMS_IDS.collection),
    workspace_id: ctx.workspaceId,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    schema: { fields },
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'cms_collection', collection, serializeCollection(collection));
}

/** The stored shape of each field (every property present); a key given twice → 422 naming both places. */
function normalizeFields(fields: NonNullable<NewCollection['schema']>['fields']): CmsFieldDefinition[] {
  const first = new Map<string, number>();
  const problems = fields.flatMap((f, i) => {
    const seen = first.get(f.key);
    if (seen === undefined) { first.set(f.key, i); return []; }
    return [{ field: `schema.fields.${i}.key`, problem: `repeats the key "${f.key}" of schema.fields.${seen}` }];
  });
  if (problems.length) throw validationFailed(problems);
  return fields.map((f) => ({ key: f.key, type: f.type, required: f.required ?? false, label: f.label ?? null, description: f.description ?? null }));
}

export const getCollection = (ctx: TenantContext, id: string) => getRecord(ctx, CmsCollectionSchema, 'cms_collection', id);
