"""Schemathesis hooks of the reliability suite (loaded through SCHEMATHESIS_HOOKS).

Three built-in checks are replaced by versions that accept exactly the answers listed here, each
with the reason the contract cannot express it in JSON Schema. Anything else they would flag
still fails the run: nothing is silenced wholesale.
"""
import json
import re

import schemathesis
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
    status_code_conformance,
)

# A schema-valid request refused with 422 for a rule JSON Schema cannot state. Each entry:
# (operationIds or "*", error code, field regex or None, problem/message regex, why).
EXPLAINED_REFUSALS = [
    ("*", "invalid_cursor", None, r".",
     "a cursor is an opaque HMAC-signed token (contract: Cursor parameter); a generated string is never one"),
    ("*", "validation_failed", r"^idempotency_key$", r"differs from the Idempotency-Key header",
     "the body's idempotency_key must equal the header when both are sent (contract: IdempotencyKeyValue)"),
    ("*", "validation_failed", None, r"must not contain NUL",
     "PostgreSQL text cannot hold U+0000; every string refuses it (docs/contract-decisions.md)"),
    ("*", "validation_failed", r"currency$", r"ISO 4217",
     "currency is three capital letters in the schema and an ISO 4217 code in the domain"),
    (["listCmsEntries", "searchCmsEntries"], "validation_failed", r"^query$", r"word to search for",
     "a full-text query must hold a searchable word; punctuation alone matches nothing"),
    (["createJournalEntry"], "rule_violation", None, r"unbalanced",
     "double-entry bookkeeping: debits must equal credits across the lines"),
    (["createBiDataset"], "validation_failed", r"^mock_rows", r".",
     "mock rows must have one cell per column, of the column's type"),
    (["createBiDataset", "createBiMetric", "createBiReport", "runBiQuery", "createBiExport", "createBiScheduledArtifact"], "validation_failed", r"^(columns|column|dimensions|sort|filters|time_column|metric_ids)", r"not a column|not a known|not a metric|not in|of the dataset",
     "column and metric names must exist in the dataset named"),
    (["updateBiObject", "archiveBiObject"], "validation_failed", r".", r"applies to|^[a-z-]+ take ",
     "one PATCH serves five BI collections; a field of one collection is refused on the others, and each collection has its own statuses"),
    (["createTask", "updateTask", "createActivity", "createAssetUploadIntent"], "validation_failed", r"related_resource", r"null exactly when|not supported",
     "related_resource_type and related_resource_id are set or cleared together, to a type a module serves"),
    (["createWebhookEndpoint", "updateWebhookEndpoint"], "validation_failed", r"^event_types", r"not a known",
     "event types must be in the catalog (listIntegrationEventTypes)"),
    (["convertLead"], "rule_violation", None, r"create_deal",
     "deal_name and deal fields describe a deal to create: they need create_deal: true"),
    (["defineAnalyticsProperty", "defineAnalyticsEvent"], "rule_violation", None, r"not defined|replaces_version|version",
     "replaces_version names the current version of a definition that exists"),
    (["defineAnalyticsEvent", "validateAnalyticsEvent"], "validation_failed", r"^properties", r"not a defined analytics property",
     "an event's properties must be defined first (defineAnalyticsProperty)"),
    (["createAssetUploadIntent"], "rule_violation", None, r"asset cannot be",
     "each asset type accepts its own MIME types (ASSET_TYPE_LIMITS)"),
    ("*", "validation_failed", r"^file_name$", r"control characters",
     "a file name goes into Content-Disposition: control characters are refused"),
    ("*", "validation_failed", r"^custom_field_value$", r"needs custom_field_key",
     "custom_field_value filters on the value of custom_field_key: it needs the key"),
    ("*", "validation_failed", r"^(publish_at|scheduled_at)$", r"must be in the future",
     "a publication time, when set, is in the future: it depends on the clock"),
    (["defineAnalyticsProperty"], "validation_failed", r"^(enum|items|properties|pattern|min|max|format)(\.|$)", r".",
     "a property's constraint fields depend on its type (enum values of the type, pattern for strings, items for arrays, min/max as counts or bounds): one request shape serves every type"),
    (["createBiDataset", "updateBiObject", "runBiQuery", "createBiExport", "createBiScheduledArtifact"], "rule_violation", None, r"DuckDB refused",
     "a SQL dataset's statement must parse and run in DuckDB's sandbox"),
    (["createMarketingPost"], "rule_violation", None, r"scheduled_at is when a scheduled post",
     "scheduled_at goes with status scheduled"),
    (["recordPayment"], "rule_violation", None, r"greater than the invoice's amount due",
     "a payment cannot exceed what the invoice still has due"),
    (["createDeal", "updateDeal", "convertLead"], None, None, r"No deal stage with key",
     "stage is a key of the workspace's own pipeline (listDealStages)"),
    (["createBiDataset"], "validation_failed", r"^source_table$", r"not a table of the BI catalog",
     "a table dataset reads a table of the BI catalog (getBiCatalog)"),
    (["createDeal", "updateDeal"], None, None, r"needs a currency",
     "an amount goes with its currency"),
    (["defineAnalyticsEvent"], "validation_failed", r"^required_overrides", r"not one of the event's properties",
     "required_overrides name properties the event lists"),
    (["createBiDataset", "updateBiObject"], "validation_failed", r"^columns", r"listed twice",
     "column names are unique within a dataset (JSON Schema's uniqueItems compares whole items)"),
    (["createCmsCollection"], "validation_failed", r"^schema\.fields", r"repeats the key",
     "field keys are unique within a collection's schema (uniqueItems compares whole items)"),
    (["createInvoice"], None, None, r"above the maximum of",
     "a line's quantity × unit amount is capped, a product of two fields"),
    (["createMarketingPost"], "validation_failed", r"^scheduled_at$", r"required when status is scheduled",
     "a scheduled post needs its moment"),
    (["createBiScheduledArtifact", "updateBiObject"], "validation_failed", r"^(cron|timezone)$", r"not a valid|not a known|time ?zone",
     "cron is checked by cron-parser (field ranges, steps) and timezone by ICU: the schema's pattern cannot state either"),
    (["createContact", "updateContact"], "rule_violation", None, r"does not match the name of company",
     "company_name given with company_id must be that company's name (a denormalised copy): one or the other"),
    ("*", "rule_violation", None, r"is before start_date",
     "a campaign or period ends on or after the day it starts"),
]


def _operation_id(case):
    try:
        return case.operation.definition.raw.get("operationId")
    except Exception:  # noqa: BLE001
        return None


def _error(response):
    try:
        return json.loads(response.content).get("error") or {}
    except Exception:  # noqa: BLE001
        return {}


def explained_refusal(case, response):
    """The reason a 422 answer to schema-valid data is by design, or None."""
    if response.status_code != 422:
        return None
    op = _operation_id(case)
    error = _error(response)
    fields = (error.get("details") or {}).get("fields") or [{"field": None, "problem": error.get("message", "")}]
    for ops, code, field_re, problem_re, why in EXPLAINED_REFUSALS:
        if ops != "*" and op not in ops:
            continue
        if code is not None and error.get("code") != code:
            continue
        if code is None:
            if re.search(problem_re, error.get("message", "")):
                return why
            continue
        if code == "validation_failed":
            # Every field refused must be explained, not just one of them.
            if all((field_re is None or re.search(field_re, f.get("field") or "")) and re.search(problem_re, f.get("problem") or "") for f in fields):
                return why
        elif re.search(problem_re, error.get("message", "")):
            return why
    return None


@schemathesis.check
def positive_data_acceptance_explained(ctx, response, case):
    """positive_data_acceptance, except the refusals of EXPLAINED_REFUSALS."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if explained_refusal(case, response):
            return None
        raise


def _oversized_request_line(response):
    """431: Node's HTTP server refuses a request line and headers over 16 KiB before the API sees
    them (README: API conventions). A query string of maxLength characters can exceed that once
    percent-encoded (a 4-byte character is 12 bytes)."""
    return response.status_code == 431


@schemathesis.check
def negative_data_rejection_explained(ctx, response, case):
    """negative_data_rejection, also counting 413 (the body limit refuses an oversized body before
    validation reads it, BODY_LIMIT_BYTES) and 431 (see _oversized_request_line) as rejections."""
    try:
        return negative_data_rejection(ctx, response, case)
    except AssertionError:
        if response.status_code == 413 and _error(response).get("code") == "payload_too_large":
            return None
        if _oversized_request_line(response):
            return None
        raise


@schemathesis.check
def status_code_conformance_explained(ctx, response, case):
    """status_code_conformance, except 431 from the HTTP server (see _oversized_request_line)."""
    try:
        return status_code_conformance(ctx, response, case)
    except AssertionError:
        if _oversized_request_line(response):
            return None
        raise
