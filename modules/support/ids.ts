// Id prefixes of the support desk's records (declared in the manifest; unique across modules).
export const SUPPORT_IDS = {
  queue: 'queue',
  ticket: 'ticket',
  message: 'msg',
  comment: 'comment',
} as const;
