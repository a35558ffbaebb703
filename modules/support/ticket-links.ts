// A ticket's links to CRM records: each must name a record of this workspace, else 404 naming
// the body field. The tables come from the related-resource types the CRM declares.
import { ApiError } from '../../platform/errors.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { assertRelatedResource } from '../../kernel/related-resources.ts';

export const LINK_TYPES = {
  contact_id: 'contact',
  company_id: 'company',
  deal_id: 'deal',
  lead_id: 'lead',
  invoice_id: 'invoice',
} as const;
export type LinkField = keyof typeof LINK_TYPES;
export const LINK_FIELDS = Object.keys(LINK_TYPES) as LinkField[];

/** 404 for a record the request named in `field` that is not in this workspace (never says whether it exists elsewhere). */
export const notFoundIn = (resource: string, id: string, field: string) =>
  new ApiError(404, 'not_found', `No ${resource} with id "${id}" exists in this workspace (${field}).`, { resource, id, field });

/** Checks every link the input sets (absent and null values are not links). */
export async function assertLinks(ctx: TenantContext, input: Partial<Record<LinkField, string | null>>): Promise<void> {
  for (const field of LINK_FIELDS) {
    const id = input[field];
    if (!id) continue;
    try {
      await assertRelatedResource(ctx, LINK_TYPES[field], id, field);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) throw notFoundIn(LINK_TYPES[field], id, field);
      throw err;
    }
  }
}
