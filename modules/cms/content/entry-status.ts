// The editorial flow of an entry: draft → review → published → archived, with the ways back an
// editor needs (send back to draft, unpublish, restore). Anything else is refused naming both states.
import { ruleViolation } from '../../../platform/errors.ts';
import type { EntryStatus } from '../entities.ts';

export const ENTRY_TRANSITIONS: Record<EntryStatus, readonly EntryStatus[]> = {
  draft: ['review', 'archived'],
  review: ['draft', 'published', 'archived'],
  published: ['draft', 'archived'],
  archived: ['draft'],
};

export function assertTransition(from: EntryStatus, to: EntryStatus): void {
  if (from === to || ENTRY_TRANSITIONS[from].includes(to)) return;
  throw ruleViolation('status', `An entry cannot move from ${from} to ${to}; from ${from} it may move to ${ENTRY_TRANSITIONS[from].join(' or ')}.`,
    { from, to, allowed: ENTRY_TRANSITIONS[from] });
}
