// An entry's `fields` against its collection's schema: Ajv's verdict on every field, then, for
// the values of the right shape, whether each `reference` names an entry of the workspace and each
// `asset` id an asset of it. Every problem is reported at once (the first 50, with a count).
import { ApiError, type FieldProblem } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import type { CmsCollection } from '../entities.ts';
import { fieldSchemaOf, type FieldSchema } from './field-schema.ts';

export const MAX_REPORTED_PROBLEMS = 50;

/** The table of a related-resource type another module registers (the assets module: `asset`). */
const ASSET_TYPE = 'asset';

/** A value of null means "no value": dropped, as PATCH's null removes a key. */
export function withoutNulls(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
}

/** Validates the complete fields of an entry of this collection; answers its compiled schema. */
export async function assertValidFields(ctx: TenantContext, collection: CmsCollection, fields: Record<string, unknown>): Promise<FieldSchema> {
  const schema = fieldSchemaOf(collection.schema.fields);
  const problems = schema.check(fields);
  const invalid = new Set(problems.map((p) => p.field));
  const wellFormed = (keys: string[]) => keys.filter((k) => typeof fields[k] === 'string' && !invalid.has(`fields.${k}`));

  const references = wellFormed(schema.referenceKeys);
  const found = await existingIds(ctx, 'cms_entries', references.map((k) => fields[k] as string));
  for (const key of references) {
    if (!found.has(fields[key] as string)) problems.push({ field: `fields.${key}`, problem: `names no entry of this workspace ("${fields[key]}")` });
  }
  // Until the assets module registers its type, an asset id is only checked for its shape.
  const assetTable = ctx.resources.get(ASSET_TYPE);
  if (assetTable) {
    const assets = wellFormed(schema.assetKeys);
    const foundAssets = await existingIds(ctx, assetTable, assets.map((k) => fields[k] as string));
    for (const key of assets) {
      if (!foundAssets.has(fields[key] as string)) problems.push({ field: `fields.${key}`, problem: `names no asset of this workspace ("${fields[key]}")` });
    }
  }
  if (problems.length) throw fieldsInvalid(problems);
  return schema;
}

/** The ids of this list that name rows of the workspace (table: a code constant or a manifest's). */
export async function existingIds(ctx: TenantContext, table: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await sql<{ id: string }[]>(ctx.em, `select id from ${table} where workspace_id = ? and id in (?)`, [ctx.workspaceId, [...new Set(ids)]]);
  return new Set(rows.map((r) => r.id));
}

/** 422 naming the offending fields: the first 50 in details.fields, the rest counted. */
export function fieldsInvalid(problems: FieldProblem[]): ApiError {
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
  const omitted = problems.length - shown.length;
  const message = `The entry's fields do not match the collection's schema: ${shown.map((p) => `${p.field} ${p.problem}`).join('; ')}`
    + (omitted ? `; and ${omitted} more.` : '.');
  return new ApiError(422, 'validation_failed', message, omitted ? { fields: shown, omitted } : { fields: shown });
}
