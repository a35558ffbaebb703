// Shapes shared by the convertLead workflow, its activities and the API (types only, so the
// workflow bundle imports nothing at run time from here).

/** What a conversion should create besides the contact and company. */
export interface ConversionDealSpec {
  name?: string;
  /** Stage key; the workspace's first open stage when omitted. */
  stage?: string;
  amount_cents?: number;
  currency?: string;
}

export interface ConvertLeadInput {
  workspaceId: string;
  leadId: string;
  /** The API request that asked for the conversion: on the workflow memo and on every event it records. */
  requestId: string | null;
  deal: ConversionDealSpec | null;
  /** The workflow command that asked for it: the lead names the command its conversion belongs to. */
  commandId: string;
}

export interface ConvertLeadResult {
  lead_id: string;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
}

/** The workflow run a step belongs to: only the run that owns the lead's conversion may change it. */
export interface ConversionRun { leadId: string; workflowId: string; runId: string; commandId: string }

export const conversionWorkflowId = (leadId: string) => `lead-convert-${leadId}`;

/** A step's record: found (linked as is) or created by this conversion (removed if it fails). */
export interface StepRecord { id: string | null; created: boolean }

/** Why a conversion failed, as the workflow reports it and the API answers it (422 when business). */
export interface ConversionFailureDetails {
  /** ApplicationFailure type of the failed step, e.g. UnknownDealStage, LeadDisqualified. */
  reason: string;
  /** The request or lead field the reason is about. */
  field: string;
  message: string;
  /** A business rule stopped it (answered 422); false for an infrastructure failure that outlasted the retries. */
  business: boolean;
}

export const CONVERSION_FAILED = 'LeadConversionFailed';
