variable "name_prefix" {
  type        = string
  description = "Prefix of every name (00-foundation's name_prefix)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "sns_kms_key_arn" {
  type        = string
  description = "ARN of the SNS KMS key; its policy must let cloudwatch.amazonaws.com use it (GenerateDataKey*, Decrypt)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.sns_kms_key_arn))
    error_message = "sns_kms_key_arn must be a KMS key ARN."
  }
}

variable "cloudwatch_logs_kms_key_arn" {
  type        = string
  description = "ARN of the logs KMS key for the Container Insights / Fluent Bit log groups."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.cloudwatch_logs_kms_key_arn))
    error_message = "cloudwatch_logs_kms_key_arn must be a KMS key ARN."
  }
}

variable "cloudwatch_logs_retention_days" {
  type        = number
  description = "Retention of the Container Insights log groups in days."
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_logs_retention_days)
    error_message = "cloudwatch_logs_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653)."
  }
}

variable "alarm_email_addresses" {
  type        = list(string)
  description = "E-mail addresses subscribed to the alarm topic (each must confirm). Slack: slack_channel; other receivers: alarm_webhook_secret_name."
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", a))])
    error_message = "alarm_email_addresses must be e-mail addresses."
  }

  # One line at plan time, for orch and plain Terragrunt alike: alarms nobody receives are no alarms.
  validation {
    condition     = var.tier != "production" || length(var.alarm_email_addresses) > 0
    error_message = "A production environment needs an alarm subscriber: set alarm_email_addresses (env.yaml alarms.email_addresses), or tier to staging/dev."
  }
}

variable "tier" {
  type        = string
  description = "What the environment is for: production (refused without alarm_email_addresses), staging or dev (env.yaml tier)."
  default     = "production"

  validation {
    condition     = contains(["production", "staging", "dev"], var.tier)
    error_message = "tier must be production, staging or dev."
  }
}

variable "cluster_name" {
  type        = string
  description = "EKS cluster name (Container Insights log group names, the observability add-on)."
}

variable "oidc_provider_arn" {
  type        = string
  description = "ARN of the cluster's IAM OIDC provider (IRSA roles of the CloudWatch agent, the Prometheus collector and Grafana)."
}

variable "oidc_issuer_url" {
  type        = string
  description = "Issuer URL of the cluster's OIDC provider (https://oidc.eks...); must be the issuer oidc_provider_arn names (a check says so otherwise)."
}

variable "cloudwatch_observability_addon_version" {
  type        = string
  description = "Version of the amazon-cloudwatch-observability add-on (null: the default for the cluster version)."
  default     = null
}

variable "create_metric_alarms" {
  type        = bool
  description = "Create the CloudWatch metric alarms (Aurora, Redis, NAT gateways) that notify the alarm topic."
  default     = true
}

variable "aurora_instance_ids" {
  type        = list(string)
  description = "Aurora instance identifiers to alarm on (CPU, freeable memory)."
  default     = []
}

variable "redis_member_clusters" {
  type        = list(string)
  description = "ElastiCache cache cluster (node) ids to alarm on (engine CPU, memory)."
  default     = []
}

variable "nat_gateway_ids" {
  type        = list(string)
  description = "NAT gateway ids to alarm on (ErrorPortAllocation)."
  default     = []
}

variable "cpu_threshold_percent" {
  type        = number
  description = "CPU alarm threshold (percent) for Aurora instances and Redis engine CPU."
  default     = 80

  validation {
    condition     = var.cpu_threshold_percent > 0 && var.cpu_threshold_percent <= 100
    error_message = "cpu_threshold_percent must be 1-100."
  }
}

variable "aurora_freeable_memory_threshold_bytes" {
  type        = number
  description = "Alarm when an Aurora instance has less freeable memory than this."
  default     = 1073741824

  validation {
    condition     = var.aurora_freeable_memory_threshold_bytes > 0
    error_message = "aurora_freeable_memory_threshold_bytes must be positive."
  }
}

variable "redis_memory_threshold_percent" {
  type        = number
  description = "Alarm when a Redis node uses more than this percentage of its memory."
  default     = 80

  validation {
    condition     = var.redis_memory_threshold_percent > 0 && var.redis_memory_threshold_percent <= 100
    error_message = "redis_memory_threshold_percent must be 1-100."
  }
}

variable "runbook_base_url" {
  type        = string
  description = "Where the runbooks live, prefixed to each alarm description's runbook link (<base>/<family>.md#<alarm>): the repository path, or its URL in your Git host."
  default     = "docs/runbooks"

  validation {
    condition     = length(var.runbook_base_url) > 0 && length(var.runbook_base_url) <= 200
    error_message = "runbook_base_url must be 1-200 characters (alarm descriptions are limited to 1024)."
  }
}

variable "slack_channel" {
  type = object({
    team_id    = string
    channel_id = string
  })
  description = "Slack channel the alarm topic posts to through AWS Chatbot (the workspace must be authorised once in the Chatbot console); null: no Slack."
  default     = null

  validation {
    condition     = var.slack_channel == null || try(can(regex("^T[0-9A-Z]{2,}$", var.slack_channel.team_id)) && can(regex("^[CG][0-9A-Z]{2,}$", var.slack_channel.channel_id)), false)
    error_message = "slack_channel needs a Slack workspace id (T...) and channel id (C... or G...)."
  }
}

variable "alarm_webhook_secret_name" {
  type        = string
  description = "Name (or ARN) of a Secrets Manager secret whose value is the https:// URL of an SNS-aware receiver (PagerDuty, Opsgenie, a relay) subscribed to the alarm topic; null: none. The URL is a credential: keep it out of env.yaml."
  default     = null

  validation {
    condition     = var.alarm_webhook_secret_name == null || can(regex("^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$", var.alarm_webhook_secret_name))
    error_message = "alarm_webhook_secret_name must be a Secrets Manager secret name or ARN."
  }
}

variable "log_archive_destination_arn" {
  type        = string
  description = "CloudWatch Logs destination of the log-archive account the platform's log groups are subscribed to (arn:aws:logs:<region>:<account>:destination:<name>); null: no subscription."
  default     = null

  validation {
    condition     = var.log_archive_destination_arn == null || can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:\\d{12}:destination:[A-Za-z0-9._/#-]{1,512}$", var.log_archive_destination_arn))
    error_message = "log_archive_destination_arn must be a CloudWatch Logs destination ARN (arn:aws:logs:REGION:ACCOUNT:destination:NAME) or null."
  }
}

variable "log_archive_filter_pattern" {
  type        = string
  description = "Filter pattern of the log-archive subscriptions (empty: every event)."
  default     = ""
}

variable "log_archive_log_group_names" {
  type        = map(string)
  description = "Log groups of other layers to subscribe to the log archive, by a stable key (e.g. eks-control-plane, vpc-flow-logs, aurora-audit). This module's own groups are added."
  default     = {}

  validation {
    condition     = alltrue([for n in values(var.log_archive_log_group_names) : can(regex("^[A-Za-z0-9_/.#-]{1,512}$", n))])
    error_message = "log_archive_log_group_names must map keys to log group names."
  }
}

variable "log_archive_container_insights_kinds" {
  type        = list(string)
  description = "Container Insights log groups (by kind) sent to the log archive; performance (metrics as logs) is left out by default."
  default     = ["application", "dataplane", "host"]

  validation {
    condition     = alltrue([for k in var.log_archive_container_insights_kinds : contains(["application", "dataplane", "host", "performance"], k)])
    error_message = "log_archive_container_insights_kinds may hold application, dataplane, host and performance."
  }
}

variable "enable_kubernetes_resources" {
  type        = bool
  description = "Install the Prometheus collector and Grafana with Helm (needs the Kubernetes API). false only where no Kubernetes API answers (a local run without the local Kubernetes build)."
  default     = true
}

variable "unavailable_helm_charts" {
  type        = map(string)
  description = "Charts (prometheus, grafana) not to install because they cannot be fetched, each with the reason. Empty except in local runs without a chart repository (environments/emulator-overrides.yaml)."
  default     = {}
  validation {
    condition     = alltrue([for k, v in var.unavailable_helm_charts : trimspace(v) != ""])
    error_message = "unavailable_helm_charts: each value is the reason the chart cannot be had."
  }
}

variable "region" {
  type        = string
  description = "Region of the cluster and the Prometheus workspace (SigV4 signing of remote write and queries)."
  default     = "ap-northeast-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-\\d$", var.region))
    error_message = "region must be an AWS region such as ap-northeast-2."
  }
}

variable "cluster_endpoint" {
  type        = string
  description = "API endpoint of the cluster (the unit's Kubernetes/Helm providers)."
  default     = null
}

variable "cluster_certificate_authority_data" {
  type        = string
  description = "Base64 CA data of the cluster (the unit's Kubernetes/Helm providers)."
  default     = null
}

variable "prometheus_namespace" {
  type        = string
  description = "Kubernetes namespace of the Prometheus collector and Grafana."
  default     = "monitoring"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.prometheus_namespace))
    error_message = "prometheus_namespace must be a Kubernetes namespace name."
  }
}

variable "chart_versions" {
  type = object({
    prometheus = string
    grafana    = string
  })
  description = "Pinned Helm chart versions of the collector (prometheus-community/prometheus) and Grafana (grafana/grafana)."
  default = {
    prometheus = "27.45.0"
    grafana    = "10.1.4"
  }

  validation {
    condition     = alltrue([for v in values(var.chart_versions) : can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", v))])
    error_message = "chart_versions must be exact versions (no ranges)."
  }
}

variable "backup_vault_name" {
  type        = string
  description = "AWS Backup vault whose failed jobs raise an alarm (85-backup's vault); null: no backup alarm."
  default     = null
}

variable "min_node_count" {
  type        = number
  description = "Alarm when the cluster has fewer nodes than this (the sum of the node groups' minimum sizes)."
  default     = 4

  validation {
    condition     = var.min_node_count >= 1
    error_message = "min_node_count must be at least 1."
  }
}

variable "eks_apiserver_5xx_threshold" {
  type        = number
  description = "Alarm when the API server answers more 5xx than this in 5 minutes (3 periods in a row)."
  default     = 10
}

variable "eks_apiserver_429_threshold" {
  type        = number
  description = "Alarm when the API server throttles more requests than this in 5 minutes (3 periods in a row)."
  default     = 50
}

variable "eks_apiserver_p99_seconds" {
  type        = number
  description = "Alarm when the p99 latency of GET or PUT API requests stays above this many seconds for 15 minutes."
  default     = 1

  validation {
    condition     = var.eks_apiserver_p99_seconds > 0
    error_message = "eks_apiserver_p99_seconds must be positive."
  }
}

variable "eks_etcd_size_threshold_bytes" {
  type        = number
  description = "Alarm when the cluster's etcd database grows beyond this (EKS's limit is 8 GiB)."
  default     = 6442450944
}

variable "node_cpu_threshold_percent" {
  type        = number
  description = "Alarm when average node CPU stays above this percentage for 15 minutes."
  default     = 80

  validation {
    condition     = var.node_cpu_threshold_percent > 0 && var.node_cpu_threshold_percent <= 100
    error_message = "node_cpu_threshold_percent must be 1-100."
  }
}

variable "node_memory_threshold_percent" {
  type        = number
  description = "Alarm when average node memory stays above this percentage for 15 minutes."
  default     = 85

  validation {
    condition     = var.node_memory_threshold_percent > 0 && var.node_memory_threshold_percent <= 100
    error_message = "node_memory_threshold_percent must be 1-100."
  }
}

variable "node_disk_threshold_percent" {
  type        = number
  description = "Alarm when a node's root filesystem is fuller than this percentage."
  default     = 80

  validation {
    condition     = var.node_disk_threshold_percent > 0 && var.node_disk_threshold_percent <= 100
    error_message = "node_disk_threshold_percent must be 1-100."
  }
}

variable "pod_restarts_threshold" {
  type        = number
  description = "Alarm when containers restart more often than this per 5 minutes across the cluster (3 periods in a row)."
  default     = 5
}

variable "alb_5xx_threshold" {
  type        = number
  description = "Alarm when the ALBs (or their targets) answer more 5xx than this per 5 minutes (3 periods in a row)."
  default     = 50
}

variable "aurora_replica_lag_threshold_ms" {
  type        = number
  description = "Alarm when an Aurora reader lags the writer by more than this many milliseconds for 10 minutes."
  default     = 1000
}

variable "aurora_connections_threshold" {
  type        = number
  description = "Alarm when an Aurora instance holds more connections than this (db.r6g.large allows about 1000)."
  default     = 800
}

variable "aurora_free_local_storage_threshold_bytes" {
  type        = number
  description = "Alarm when an Aurora instance's free local storage (temporary tables, logs) falls below this."
  default     = 5368709120
}

variable "aurora_deadlocks_per_second" {
  type        = number
  description = "Alarm when an Aurora instance averages more deadlocks per second than this for 15 minutes."
  default     = 0.1
}

variable "redis_evictions_threshold" {
  type        = number
  description = "Alarm when a Redis node evicts more keys than this in 5 minutes."
  default     = 100
}

variable "redis_replication_lag_seconds" {
  type        = number
  description = "Alarm when a Redis replica lags its primary by more than this many seconds for 10 minutes."
  default     = 1
}

variable "redis_connections_threshold" {
  type        = number
  description = "Alarm when a Redis node has more client connections than this (maxclients is 65000)."
  default     = 5000
}

variable "nat_packets_dropped_threshold" {
  type        = number
  description = "Alarm when a NAT gateway drops more packets than this per 5 minutes (3 periods in a row)."
  default     = 100
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource (merged with a Name tag)."
  default     = {}
}
