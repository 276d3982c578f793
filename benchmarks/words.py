"""Word lists the synthetic corpus is made from (plain data, no logic)."""

from __future__ import annotations

CATEGORIES = (
    "Metrics",
    "Pipeline & Process",
    "Data & Storage",
    "Roles",
    "Methods",
    "Customer",
    "Strategy",
    "Finance & Pricing",
)

# First words of titles: Title Case, ASCII.
MODIFIERS = (
    "Active", "Adaptive", "Annual", "Applied", "Automated", "Average", "Balanced", "Base", "Batch", "Binary",
    "Blended", "Bounded", "Budget", "Bulk", "Central", "Channel", "Closed", "Cloud", "Cohort", "Cold", "Composite",
    "Conditional", "Contract", "Core", "Cost", "Cross", "Cumulative", "Customer", "Daily", "Data", "Deferred",
    "Direct", "Discrete", "Distributed", "Dynamic", "Early", "Edge", "Effective", "Elastic", "Embedded", "Entry",
    "Event", "Expected", "External", "Field", "Final", "Fixed", "Flat", "Forward", "Free", "Gross", "Guided",
    "Hard", "Hidden", "High", "Hybrid", "Implicit", "Inbound", "Incremental", "Indirect", "Initial", "Inline",
    "Internal", "Inverse", "Key", "Lagging", "Late", "Leading", "Lean", "Linear", "Live", "Local", "Long", "Low",
    "Managed", "Manual", "Marginal", "Market", "Master", "Median", "Minimum", "Mobile", "Monthly", "Multi", "Native",
    "Negative", "Net", "Nominal", "Open", "Operating", "Organic", "Outbound", "Paid", "Partial", "Passive", "Peak",
    "Primary", "Private", "Product", "Public", "Quarterly", "Raw", "Real", "Recurring", "Reserved", "Rolling",
    "Secondary", "Secure", "Shared", "Short", "Signal", "Single", "Soft", "Static", "Strategic", "Structured",
    "Target", "Tiered", "Total", "Trailing", "Unified", "Unit", "Usage", "Variable", "Vertical", "Virtual",
    "Warm", "Weighted", "Weekly", "Zero",
)

# Last words of titles: singular nouns, Title Case.
NOUNS = (
    "Account", "Adjustment", "Agreement", "Allocation", "Analysis", "Approval", "Architecture", "Asset", "Audit",
    "Backlog", "Balance", "Baseline", "Benchmark", "Billing", "Boundary", "Branch", "Budget", "Buffer", "Cache",
    "Campaign", "Capacity", "Catalog", "Channel", "Checkpoint", "Churn", "Cluster", "Commission", "Commitment",
    "Contract", "Conversion", "Coverage", "Credit", "Cycle", "Dashboard", "Deal", "Default", "Delivery", "Demand",
    "Deposit", "Discount", "Dispatch", "Entity", "Estimate", "Exposure", "Feed", "Filter", "Forecast", "Framework",
    "Funnel", "Gateway", "Grant", "Hierarchy", "Horizon", "Incentive", "Index", "Inquiry", "Interval", "Inventory",
    "Invoice", "Journey", "Key", "Latency", "Ledger", "Lifecycle", "Limit", "Margin", "Metric", "Milestone",
    "Model", "Multiplier", "Objective", "Offer", "Opportunity", "Order", "Outcome", "Partition", "Payment",
    "Penalty", "Pipeline", "Plan", "Policy", "Pool", "Portfolio", "Premium", "Priority", "Process", "Projection",
    "Proposal", "Quota", "Rate", "Ratio", "Rebate", "Record", "Refund", "Registry", "Release", "Renewal", "Replica",
    "Report", "Request", "Reserve", "Retention", "Revenue", "Review", "Routine", "Schedule", "Schema", "Score",
    "Segment", "Session", "Settlement", "Snapshot", "Spread", "Stage", "Strategy", "Subscription", "Summary",
    "Surplus", "Tariff", "Territory", "Threshold", "Ticket", "Transfer", "Trend", "Trigger", "Valuation", "Variance",
    "Vendor", "Volume", "Warranty", "Window", "Workflow", "Yield",
)

# Rare first words that make titles non-ASCII ("Échéance …", "Übersicht …").
ACCENTED = ("Échéance", "Übersicht", "Café", "Naïve", "Façade", "Größen", "Señal", "Déjà", "Entrée", "Öffentlich",
            "Résumé", "Crème", "Zoë", "Ångström", "Müller", "Élan")

# Rare first words that start with a digit ("3D Pipeline …").
DIGIT_FIRST = ("3D", "5G", "2FA", "4K", "24x7", "360", "401k", "1st-Party", "3rd-Party", "2nd-Line", "7-Day")

# Running text: a tiny grammar of noun phrases, verbs and linking words.
DETERMINERS = ("the", "the", "the", "a", "each", "every", "this", "that", "its", "their", "the same", "one")
PLURAL_DETERMINERS = ("the", "the", "most", "many", "some", "all", "these", "their", "other", "few")
ADJECTIVES = (
    "new", "old", "total", "average", "early", "late", "small", "large", "whole", "full", "typical", "common",
    "useful", "simple", "careful", "clear", "direct", "expected", "actual", "current", "next", "previous", "higher",
    "lower", "monthly", "yearly", "recent", "open", "closed", "active", "regular", "formal", "main", "final",
)
TEXT_NOUNS = (
    "team", "customer", "company", "value", "number", "period", "month", "quarter", "year", "system", "report",
    "change", "level", "price", "cost", "sale", "deal", "market", "product", "service", "contract", "record",
    "manager", "buyer", "seller", "owner", "user", "figure", "share", "signal", "result", "rule", "step", "plan",
    "goal", "account", "budget", "forecast", "invoice", "order", "region", "partner", "target", "review", "risk",
)
VERBS = (
    "measures", "tracks", "shows", "sets", "keeps", "moves", "counts", "adds", "splits", "reduces", "raises",
    "compares", "updates", "starts", "ends", "covers", "reflects", "needs", "uses", "helps", "defines", "limits",
    "replaces", "follows", "drives", "supports", "records", "explains", "affects", "includes",
)
ADVERBS = ("usually", "often", "also", "only", "rarely", "still", "always", "quickly", "mostly", "directly")
PREPOSITIONS = ("of", "for", "in", "on", "with", "from", "across", "after", "before", "during", "per", "by")
CONJUNCTIONS = ("and", "but", "while", "because", "so", "when", "although", "since", "whereas", "until")
CONNECTORS = ("In practice,", "For example,", "As a rule,", "In most cases,", "By contrast,", "Over time,",
              "In short,", "Sometimes", "Typically,", "Above all,")
