// Typed search attributes every Slab5 workflow carries, so operators can filter the Temporal UI
// by workspace or resource. The dev stack and the test harness register them on the server.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const WORKSPACE_ID = defineSearchAttributeKey('WorkspaceId', SearchAttributeType.KEYWORD);
export const RESOURCE_ID = defineSearchAttributeKey('ResourceId', SearchAttributeType.KEYWORD);
/** The domain event a workflow is about (webhook deliveries: `contact.created`, ...). */
export const EVENT_TYPE = defineSearchAttributeKey('EventType', SearchAttributeType.KEYWORD);

/** Every one of them (all Keyword): what a server must have registered. */
export const SEARCH_ATTRIBUTES = [WORKSPACE_ID, RESOURCE_ID, EVENT_TYPE];

/** `--search-attribute` values for `temporal server start-dev`. */
export const SEARCH_ATTRIBUTE_FLAGS = SEARCH_ATTRIBUTES.map((key) => `${key.name}=Keyword`);
