"""Statistical disclosure control for frequency tables: pure Python, no Django.

tables   FrequencyTable / TableShape: interior counts and their margins ("Total")
protect  primary rule, dominance, modes `suppress` and `round` (ONS 10-5), secondary
         suppression until the audit passes
audit    the attacker's integer programme (HiGHS via SciPy): ranges, P0/P1/P2 checks,
         earlier releases included (differencing)
derived  percentages and labels from protected values only
"""

from .audit import AttackerModel, AuditFinding, AuditResult, Interval, audit_release
from .derived import count_label, percent_label, share
from .protect import ProtectionFailed, Settings, dominant_cells, protect, round_to_5
from .release import Mode, ProtectedCell, ProtectedRelease, ProtectedTable, Rule, Status
from .tables import TOTAL, FrequencyTable, TableShape, table_from_counts

__all__ = [
    "TOTAL",
    "AttackerModel",
    "AuditFinding",
    "AuditResult",
    "FrequencyTable",
    "Interval",
    "Mode",
    "ProtectedCell",
    "ProtectedRelease",
    "ProtectedTable",
    "ProtectionFailed",
    "Rule",
    "Settings",
    "Status",
    "TableShape",
    "audit_release",
    "count_label",
    "dominant_cells",
    "percent_label",
    "protect",
    "round_to_5",
    "share",
    "table_from_counts",
]
