"""OpsPlan: the engine behind the dashboard and the CLI. Never imports Streamlit.

The public API is the handle every front door uses (the CLI, the dashboard, a notebook)::

    from opsplan import OpsPlan
    ops = OpsPlan("data/opsplan.duckdb", "data/demo_plan.yaml")
    ops.issues            # every plan problem at file:line
    ops.check()           # the daily check (CheckResult); unknown with the problems when the plan has errors
    ops.metrics(["dau", "new_users"], grain="week")
    ops.export("funnel")  # the CLI's reports as DataFrames
    ops.report("2026-W09", fmt="html")

Also public: ``load_plan`` / ``PlanState`` (a plan file read and validated), ``CheckResult`` and ``to_json``.
The names are imported lazily, so ``opsplan`` (and a cron run of the CLI) starts without loading pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["CheckResult", "OpsPlan", "PlanState", "__version__", "load_plan", "to_json"]

if TYPE_CHECKING:
    from opsplan.handle import OpsPlan, PlanState, load_plan
    from opsplan.plan.check import CheckResult, to_json

_HOMES = {
    "OpsPlan": "opsplan.handle",
    "PlanState": "opsplan.handle",
    "load_plan": "opsplan.handle",
    "CheckResult": "opsplan.plan.check",
    "to_json": "opsplan.plan.check",
}


def __getattr__(name: str) -> Any:  # noqa: ANN401 (PEP 562: whatever the home module holds)
    """Import a public name from its home module on first use."""
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'opsplan' has no attribute {name!r}")
