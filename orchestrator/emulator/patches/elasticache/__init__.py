"""ElastiCache: what moto leaves out of replication groups, RBAC user groups, parameter groups and
failover tests (TestFailover, DescribeEvents).

One module per feature, each with its `install()` and the reason it exists: replication_groups,
user_groups, parameter_groups (with cluster_parameter_groups, and parameter_table, the families'
engine defaults, a data table that imports no moto), failover and events. The feature modules
import moto and are imported by `install()` only.
"""

from __future__ import annotations

from importlib import import_module

# Order matters where two wrap the same moto function: cluster_parameter_groups wraps the
# CreateReplicationGroup that replication_groups installed, so the group is checked before moto and
# the member clusters registered after it.
FEATURES = (
    "replication_groups",
    "user_groups",
    "parameter_groups",
    "cluster_parameter_groups",
    "failover",
    "events",
)


def install() -> None:
    for feature in FEATURES:
        import_module(f"{__name__}.{feature}").install()
