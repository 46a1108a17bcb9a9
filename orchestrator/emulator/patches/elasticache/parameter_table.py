"""The engine default parameters of each cache parameter group family, a data table
(DescribeEngineDefaultParameters, and where every new parameter group starts from)."""

from __future__ import annotations

from dataclasses import dataclass

# A realistic subset of what AWS lists per family (DescribeEngineDefaultParameters): the parameters
# modules and operators commonly set, with AWS's defaults, DataType, AllowedValues ("a,b", "min-max",
# "min-": no upper bound) and ChangeType. Flags: `ro` not modifiable, `reboot` requires-reboot.
# Families: `redisX+` from that redis family on (valkey7 and valkey8 come after redis7), `-redisX` up
# to it, `memcached` every memcached family.

REDIS_FAMILIES = (
    "redis2.6",
    "redis2.8",
    "redis3.2",
    "redis4.0",
    "redis5.0",
    "redis6.x",
    "redis7",
    "valkey7",
    "valkey8",
)
MEMCACHED_FAMILIES = ("memcached1.4", "memcached1.5", "memcached1.6")
FAMILY_MINIMUM_VERSION = {
    **dict(
        zip(
            REDIS_FAMILIES,
            ("2.6.13", "2.8.4", "3.2.4", "4.0.10", "5.0.0", "6.0.5", "7.0.4", "7.2.4", "8.0.1"),
            strict=True,
        )
    ),
    **dict(zip(MEMCACHED_FAMILIES, ("1.4.5", "1.5.10", "1.6.6"), strict=True)),
}
EVICTION = "volatile-lru,allkeys-lru,volatile-lfu,allkeys-lfu,volatile-random,allkeys-random,volatile-ttl,noeviction"

PARAMETER_TABLE = f"""
activedefrag | no | string | yes,no | | redis4.0+ | Enabled active memory defragmentation
active-defrag-cycle-max | 75 | integer | 1-75 | | redis4.0+ | Maximal effort for defrag in CPU percentage
active-defrag-cycle-min | 5 | integer | 1-75 | | redis4.0+ | Minimal effort for defrag in CPU percentage
active-defrag-ignore-bytes | 104857600 | integer | 1048576- | | redis4.0+ | Minimum fragmentation waste to start defrag
active-defrag-max-scan-fields | 1000 | integer | 1-1000000 | | redis4.0+ | Max fields processed by a dictionary scan
active-defrag-threshold-lower | 10 | integer | 1-100 | | redis4.0+ | Minimum fragmentation percentage to start defrag
active-defrag-threshold-upper | 100 | integer | 1-100 | | redis4.0+ | Fragmentation percentage for maximum effort
appendonly | no | string | yes,no | ro | redis2.6+ | Enable Redis persistence.
appendfsync | everysec | string | always,everysec,no | ro | redis2.6+ | fsync policy for AOF persistence
client-output-buffer-limit-normal-hard-limit | 0 | integer | 0- | | redis2.6+ | Normal client output buffer hard limit
client-output-buffer-limit-normal-soft-limit | 0 | integer | 0- | | redis2.6+ | Normal client output buffer soft limit
client-output-buffer-limit-normal-soft-seconds | 0 | integer | 0- | | redis2.6+ | Normal client output buffer soft time
client-output-buffer-limit-pubsub-hard-limit | 33554432 | integer | 0- | | redis2.6+ | Pubsub output buffer hard limit
client-output-buffer-limit-pubsub-soft-limit | 8388608 | integer | 0- | | redis2.6+ | Pubsub output buffer soft limit
client-output-buffer-limit-pubsub-soft-seconds | 60 | integer | 0- | | redis2.6+ | Pubsub output buffer soft seconds
client-query-buffer-limit | 1073741824 | integer | 1048576-1073741824 | | redis4.0+ | Max size of a client query buffer
close-on-replica-write | yes | string | yes,no | | redis5.0+ | Disconnect clients that write to a read-only replica
cluster-enabled | no | string | yes,no | reboot | redis3.2+ | Enable cluster mode
cluster-require-full-coverage | no | string | yes,no | | redis3.2+ | Unavailable when slots are not covered
cluster-allow-reads-when-down | no | string | yes,no | | redis6.x+ | Serve reads while the cluster is down
cluster-allow-pubsubshard-when-down | yes | string | yes,no | | redis7+ | Serve shard pubsub while the cluster is down
databases | 16 | integer | 1-1200000 | reboot | redis2.6+ | Set the number of databases.
hash-max-ziplist-entries | 512 | integer | 0- | | -redis6.x | Max hash entries for a compressed dataset
hash-max-ziplist-value | 64 | integer | 0- | | -redis6.x | Biggest hash entry for a compressed dataset
hash-max-listpack-entries | 512 | integer | 0- | | redis7+ | Max hash entries for a compressed dataset
hash-max-listpack-value | 64 | integer | 0- | | redis7+ | Biggest hash entry for a compressed dataset
hz | 10 | integer | 1-500 | | redis2.8+ | Frequency of background tasks.
lazyfree-lazy-eviction | no | string | yes,no | | redis4.0+ | Asynchronous delete on evictions
lazyfree-lazy-expire | no | string | yes,no | | redis4.0+ | Asynchronous delete on expired keys
lazyfree-lazy-server-del | no | string | yes,no | | redis4.0+ | Asynchronous delete on key updates
lazyfree-lazy-user-del | no | string | yes,no | | redis6.x+ | Asynchronous delete on DEL commands
lfu-decay-time | 1 | integer | 0- | | redis4.0+ | Minutes to decrement the key counter (LFU)
lfu-log-factor | 10 | integer | 1- | | redis4.0+ | Log factor of the key counter (LFU)
list-compress-depth | 0 | integer | 0- | | redis3.2+ | Quicklist nodes excluded from compression
lua-time-limit | 5000 | integer | 5000 | ro | redis2.6+ | Max execution time of a Lua script in milliseconds.
maxclients | 65000 | integer | 1-65000 | ro,reboot | redis2.6+ | The maximum number of Redis clients.
maxmemory-policy | volatile-lru | string | {EVICTION} | | redis2.6+ | Max memory policy.
maxmemory-samples | 3 | integer | 1- | | redis2.6+ | Max memory samples.
min-replicas-max-lag | 10 | integer | 0- | | redis5.0+ | Replica lag in seconds beyond which writes stop
min-replicas-to-write | 0 | integer | 0- | | redis5.0+ | Replicas the primary needs to accept writes
notify-keyspace-events |  | string |  | | redis2.6+ | Keyspace events notified to Pub/Sub clients
repl-backlog-size | 1048576 | integer | 16384- | | redis2.8+ | Replication backlog size in bytes for PSYNC.
repl-backlog-ttl | 3600 | integer | 0- | | redis2.8+ | Seconds before the backlog of a replica-less primary is freed
reserved-memory | 0 | integer | 0- | | -redis2.8 | Memory reserved for non-cache usage.
reserved-memory-percent | 25 | integer | 0-100 | | redis3.2+ | Percent of memory reserved for non-cache usage.
set-max-intset-entries | 512 | integer | 0- | | redis2.6+ | Max set entries for a compressed dataset
slowlog-log-slower-than | 10000 | integer | 0- | | redis2.6+ | Microseconds a command must exceed to be logged.
slowlog-max-len | 128 | integer | 0- | | redis2.6+ | The length of the slow log.
stream-node-max-bytes | 4096 | integer | 0- | | redis5.0+ | Max size of a stream node in bytes.
stream-node-max-entries | 100 | integer | 0- | | redis5.0+ | Max items in a stream node.
tcp-keepalive | 300 | integer | 0- | | redis2.8+ | If non-zero, send ACKs every given number of seconds.
timeout | 0 | integer | 0,20- | | redis2.6+ | Seconds before an idle client is closed (0: never).
zset-max-ziplist-entries | 128 | integer | 0- | | -redis6.x | Max sorted set entries for a compressed dataset
zset-max-ziplist-value | 64 | integer | 0- | | -redis6.x | Biggest sorted set entry for a compressed dataset
zset-max-listpack-entries | 128 | integer | 0- | | redis7+ | Max sorted set entries for a compressed dataset
zset-max-listpack-value | 64 | integer | 0- | | redis7+ | Biggest sorted set entry for a compressed dataset
backlog_queue_limit | 1024 | integer | 1-10000 | ro,reboot | memcached | The backlog queue limit.
binding_protocol | auto | string | auto,binary,ascii | reboot | memcached | Binding protocol.
cas_disabled | 0 | boolean | 0,1 | reboot | memcached | If 1, check and set (CAS) operations are disabled.
chunk_size | 48 | integer | 1- | reboot | memcached | Minimum bytes allocated for the smallest item.
chunk_size_growth_factor | 1.25 | numeric | 1-2 | reboot | memcached | Growth factor of successive chunks.
error_on_memory_exhausted | 0 | boolean | 0,1 | reboot | memcached | If 1, return an error instead of evicting.
large_memory_pages | 0 | boolean | 0,1 | ro,reboot | memcached | If 1, try to use large memory pages.
lock_down_paged_memory | 0 | boolean | 0,1 | ro,reboot | memcached | If 1, lock down all paged memory.
max_item_size | 1048576 | integer | 1048576-1073741824 | reboot | memcached | The largest item storable, in bytes.
max_simultaneous_connections | 65000 | integer | 3-65000 | ro,reboot | memcached | Max simultaneous connections.
maxconns_fast | 0 | boolean | 0,1 | reboot | memcached | If 1, close new connections at the maximum.
memcached_connections_overhead | 100 | integer | 0- | | memcached | Memory reserved for connections and overhead.
requests_per_event | 20 | integer | 1- | ro,reboot | memcached | Max requests per event for a connection.
"""


@dataclass(frozen=True)
class Param:
    name: str
    default: str
    data_type: str
    allowed: str
    modifiable: bool
    change_type: str
    families: tuple[str, ...]
    description: str

    def accepts(self, value: str) -> bool:
        if self.data_type not in ("integer", "numeric"):
            return not self.allowed or value in self.allowed.split(",")
        try:
            number = float(value) if self.data_type == "numeric" else int(value)
        except ValueError:
            return False
        for part in self.allowed.split(","):
            low, sep, high = part.partition("-")
            if (not sep and number == float(low)) or (sep and float(low) <= number <= float(high or "inf")):
                return True
        return False


def _parse_table(table: str) -> tuple[Param, ...]:
    params = []
    for line in table.strip().splitlines():
        name, default, data_type, allowed, flags, scope, description = (c.strip() for c in line.split("|"))
        if scope == "memcached":
            families: tuple[str, ...] = MEMCACHED_FAMILIES
        elif scope.startswith("-"):
            families = REDIS_FAMILIES[: REDIS_FAMILIES.index(scope[1:]) + 1]
        else:
            families = REDIS_FAMILIES[REDIS_FAMILIES.index(scope.rstrip("+")) :]
        modifiable = "ro" not in flags.split(",")
        change_type = "requires-reboot" if "reboot" in flags.split(",") else "immediate"
        params.append(Param(name, default, data_type, allowed, modifiable, change_type, families, description))
    return tuple(params)


PARAMETERS = _parse_table(PARAMETER_TABLE)
FAMILIES: dict[str, tuple[Param, ...]] = {
    family: tuple(p for p in PARAMETERS if family in p.families) for family in REDIS_FAMILIES + MEMCACHED_FAMILIES
}


def family_has_cluster_mode(family: str) -> bool:
    return any(p.name == "cluster-enabled" for p in FAMILIES[family])


def family_of(engine: str | None, version: str | None) -> str | None:
    """The parameter group family of an engine version, as AWS pairs them (None: not known here)."""
    engine = (engine or "redis").lower()
    parts = (version or "").split(".")
    if engine == "memcached":
        family = f"memcached{'.'.join(parts[:2])}" if version else "memcached1.6"
    elif engine == "valkey":
        family = f"valkey{parts[0]}" if version else "valkey8"
    elif not version:
        family = "redis7"
    else:
        by_major = {"7": "redis7", "6": "redis6.x", "5": "redis5.0", "4": "redis4.0", "3": "redis3.2"}
        family = by_major.get(parts[0], f"redis{'.'.join(parts[:2])}")
    return family if family in FAMILIES else None
