import { EntitySchema } from '@mikro-orm/postgresql';

export interface Workspace {
  id: string;
  name: string;
  enabled_modules: string[];
  rate_limit_per_second: number | null;
  status: 'provisioning' | 'active';
  provisioned_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const WorkspaceSchema = new EntitySchema<Workspace>({
  name: 'Workspace',
  tableName: 'workspaces',
  properties: {
    id: { type: 'text', primary: true },
    name: { type: 'text' },
    enabled_modules: { type: 'text[]' },
    rate_limit_per_second: { type: 'integer', nullable: true },
    status: { type: 'text' },
    provisioned_at: { type: 'Date', nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export interface ApiToken {
  id: string;
  workspace_id: string;
  name: string | null;
  token_hash: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
}

export const ApiTokenSchema = new EntitySchema<ApiToken>({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    name: { type: 'text', nullable: true },
    token_hash: { type: 'text' },
    scopes: { type: 'text[]' },
    created_at: { type: 'Date', onCreate: () => new Date() },
    revoked_at: { type: 'Date', nullable: true },
  },
});
