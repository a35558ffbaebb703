import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';
import type { Module, Scope } from './scopes.ts';

export const WorkspaceSchema = defineEntity({
  name: 'Workspace',
  tableName: 'workspaces',
  properties: (p) => ({
    id: p.text().primary(),
    name: p.text(),
    enabled_modules: p.array().$type<Module[]>(),
    rate_limit_per_second: p.integer().nullable(),
    status: p.enum(['provisioning', 'active']),
    provisioned_at: p.datetime().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type Workspace = InferEntity<typeof WorkspaceSchema>;

export const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text().nullable(),
    token_hash: p.text(),
    scopes: p.array().$type<Scope[]>(),
    created_at: p.datetime().onCreate(() => new Date()),
    revoked_at: p.datetime().nullable(),
  }),
});
export type ApiToken = InferEntity<typeof ApiTokenSchema>;
