import { Migration } from '@mikro-orm/migrations';

// Agents write through the MCP server: an activity they log names the MCP client as its actor.
export class Migration20261201000003_mcp_actor extends Migration {
  override up(): void {
    this.addSql(`alter table activities drop constraint activities_actor_type_check`);
    this.addSql(`alter table activities add constraint activities_actor_type_check check (actor_type in ('api_token', 'mcp_client', 'system'))`);
    this.addSql(`alter table activities add column actor_name text`);
  }
}
