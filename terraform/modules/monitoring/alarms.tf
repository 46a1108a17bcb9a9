# Alarms beyond the first set (main.tf): the EKS control plane, Container Insights node and pod
# health, ALBs, Aurora, Redis, NAT gateways and AWS Backup. Each notifies the alarm topic (alarm
# and OK) and names its runbook. Single-metric alarms are specs in local.metric_alarms; alarms
# over resources created at run time (ALBs of the Load Balancer Controller, pods) are Metrics
# Insights queries in local.query_alarms, which cover every such resource of the account.
locals {
  eks_dimensions = { ClusterName = var.cluster_name }

  metric_alarm_specs = merge(
    # ------------------------------------------------------------ EKS control plane (AWS/EKS)
    {
      "${var.cluster_name}-apiserver-5xx" = {
        description = "EKS ${var.cluster_name}: the API server answered more than ${var.eks_apiserver_5xx_threshold} 5xx responses in 5 minutes, 3 periods in a row"
        runbook     = "eks-control-plane.md#apiserver-5xx"
        namespace   = "AWS/EKS"
        metric      = "apiserver_request_total_5XX"
        dimensions  = local.eks_dimensions
        statistic   = "Sum"
        period      = 300
        evaluations = 3
        threshold   = var.eks_apiserver_5xx_threshold
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
      "${var.cluster_name}-apiserver-throttled" = {
        description = "EKS ${var.cluster_name}: the API server throttled (429) more than ${var.eks_apiserver_429_threshold} requests in 5 minutes, 3 periods in a row"
        runbook     = "eks-control-plane.md#apiserver-throttled"
        namespace   = "AWS/EKS"
        metric      = "apiserver_request_total_429"
        dimensions  = local.eks_dimensions
        statistic   = "Sum"
        period      = 300
        evaluations = 3
        threshold   = var.eks_apiserver_429_threshold
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
      "${var.cluster_name}-apiserver-get-latency" = {
        description = "EKS ${var.cluster_name}: p99 latency of GET requests to the API server above ${var.eks_apiserver_p99_seconds} s for 15 minutes"
        runbook     = "eks-control-plane.md#apiserver-latency"
        namespace   = "AWS/EKS"
        metric      = "apiserver_request_duration_seconds_GET_P99"
        dimensions  = local.eks_dimensions
        statistic   = "Average"
        period      = 300
        evaluations = 3
        threshold   = var.eks_apiserver_p99_seconds
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
      "${var.cluster_name}-apiserver-mutating-latency" = {
        description = "EKS ${var.cluster_name}: p99 latency of PUT requests to the API server above ${var.eks_apiserver_p99_seconds} s for 15 minutes"
        runbook     = "eks-control-plane.md#apiserver-latency"
        namespace   = "AWS/EKS"
        metric      = "apiserver_request_duration_seconds_PUT_P99"
        dimensions  = local.eks_dimensions
        statistic   = "Average"
        period      = 300
        evaluations = 3
        threshold   = var.eks_apiserver_p99_seconds
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
      "${var.cluster_name}-unschedulable-pods" = {
        description = "EKS ${var.cluster_name}: pods the scheduler cannot place for 15 minutes (capacity, taints, affinity or volume zone)"
        runbook     = "eks-control-plane.md#unschedulable-pods"
        namespace   = "AWS/EKS"
        metric      = "scheduler_pending_pods_UNSCHEDULABLE"
        dimensions  = local.eks_dimensions
        statistic   = "Maximum"
        period      = 300
        evaluations = 3
        threshold   = 0
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
      "${var.cluster_name}-etcd-size" = {
        description = "EKS ${var.cluster_name}: etcd database above ${var.eks_etcd_size_threshold_bytes} bytes (EKS stops writes at 8 GiB)"
        runbook     = "eks-control-plane.md#etcd-size"
        namespace   = "AWS/EKS"
        metric      = "apiserver_storage_size_bytes"
        dimensions  = local.eks_dimensions
        statistic   = "Maximum"
        period      = 300
        evaluations = 1
        threshold   = var.eks_etcd_size_threshold_bytes
        comparison  = "GreaterThanThreshold"
        missing     = "missing"
      }
    },
    # ------------------------------------------------------------ Container Insights (nodes)
    {
      "${var.cluster_name}-node-cpu-high" = {
        description = "EKS ${var.cluster_name}: average node CPU above ${var.node_cpu_threshold_percent}% for 15 minutes"
        runbook     = "container-insights.md#node-cpu-high"
        namespace   = "ContainerInsights"
        metric      = "node_cpu_utilization"
        dimensions  = local.eks_dimensions
        statistic   = "Average"
        period      = 300
        evaluations = 3
        threshold   = var.node_cpu_threshold_percent
        comparison  = "GreaterThanThreshold"
        missing     = "missing"
      }
      "${var.cluster_name}-node-memory-high" = {
        description = "EKS ${var.cluster_name}: average node memory above ${var.node_memory_threshold_percent}% for 15 minutes"
        runbook     = "container-insights.md#node-memory-high"
        namespace   = "ContainerInsights"
        metric      = "node_memory_utilization"
        dimensions  = local.eks_dimensions
        statistic   = "Average"
        period      = 300
        evaluations = 3
        threshold   = var.node_memory_threshold_percent
        comparison  = "GreaterThanThreshold"
        missing     = "missing"
      }
      "${var.cluster_name}-node-disk-high" = {
        description = "EKS ${var.cluster_name}: a node's root filesystem above ${var.node_disk_threshold_percent}% (kubelet evicts pods at 90%)"
        runbook     = "container-insights.md#node-disk-high"
        namespace   = "ContainerInsights"
        metric      = "node_filesystem_utilization"
        dimensions  = local.eks_dimensions
        statistic   = "Maximum"
        period      = 300
        evaluations = 2
        threshold   = var.node_disk_threshold_percent
        comparison  = "GreaterThanThreshold"
        missing     = "missing"
      }
      "${var.cluster_name}-nodes-not-ready" = {
        description = "EKS ${var.cluster_name}: nodes NotReady (cluster_failed_node_count) for 10 minutes"
        runbook     = "container-insights.md#nodes-not-ready"
        namespace   = "ContainerInsights"
        metric      = "cluster_failed_node_count"
        dimensions  = local.eks_dimensions
        statistic   = "Maximum"
        period      = 300
        evaluations = 2
        threshold   = 0
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
      "${var.cluster_name}-node-count-low" = {
        description = "EKS ${var.cluster_name}: fewer than ${var.min_node_count} nodes for 10 minutes (the node groups' minimum)"
        runbook     = "container-insights.md#node-count-low"
        namespace   = "ContainerInsights"
        metric      = "cluster_node_count"
        dimensions  = local.eks_dimensions
        statistic   = "Minimum"
        period      = 300
        evaluations = 2
        threshold   = var.min_node_count
        comparison  = "LessThanThreshold"
        missing     = "breaching"
      }
    },
    # ------------------------------------------------------------ Aurora (per instance)
    merge([for id in local.alarm_aurora_instances : {
      "${id}-replica-lag" = {
        description = "Aurora instance ${id}: replica lag above ${var.aurora_replica_lag_threshold_ms} ms for 10 minutes (readers serve stale data)"
        runbook     = "aurora.md#replica-lag"
        namespace   = "AWS/RDS"
        metric      = "AuroraReplicaLag"
        dimensions  = { DBInstanceIdentifier = id }
        statistic   = "Maximum"
        period      = 60
        evaluations = 10
        threshold   = var.aurora_replica_lag_threshold_ms
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching" # the writer reports no replica lag
      }
      "${id}-connections-high" = {
        description = "Aurora instance ${id}: more than ${var.aurora_connections_threshold} connections for 15 minutes"
        runbook     = "aurora.md#connections-high"
        namespace   = "AWS/RDS"
        metric      = "DatabaseConnections"
        dimensions  = { DBInstanceIdentifier = id }
        statistic   = "Maximum"
        period      = 300
        evaluations = 3
        threshold   = var.aurora_connections_threshold
        comparison  = "GreaterThanThreshold"
        missing     = "missing"
      }
      "${id}-free-local-storage-low" = {
        description = "Aurora instance ${id}: free local storage (temporary tables, logs) below ${var.aurora_free_local_storage_threshold_bytes} bytes"
        runbook     = "aurora.md#free-local-storage-low"
        namespace   = "AWS/RDS"
        metric      = "FreeLocalStorage"
        dimensions  = { DBInstanceIdentifier = id }
        statistic   = "Minimum"
        period      = 300
        evaluations = 2
        threshold   = var.aurora_free_local_storage_threshold_bytes
        comparison  = "LessThanThreshold"
        missing     = "missing"
      }
      "${id}-deadlocks" = {
        description = "Aurora instance ${id}: more than ${var.aurora_deadlocks_per_second} deadlocks per second on average for 15 minutes"
        runbook     = "aurora.md#deadlocks"
        namespace   = "AWS/RDS"
        metric      = "Deadlocks"
        dimensions  = { DBInstanceIdentifier = id }
        statistic   = "Average"
        period      = 300
        evaluations = 3
        threshold   = var.aurora_deadlocks_per_second
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
    }]...),
    # ------------------------------------------------------------ Redis (per node)
    merge([for id in local.alarm_redis_nodes : {
      "${id}-evictions" = {
        description = "Redis node ${id}: more than ${var.redis_evictions_threshold} keys evicted in 5 minutes (memory full, data lost from the cache)"
        runbook     = "redis.md#evictions"
        namespace   = "AWS/ElastiCache"
        metric      = "Evictions"
        dimensions  = { CacheClusterId = id }
        statistic   = "Sum"
        period      = 300
        evaluations = 1
        threshold   = var.redis_evictions_threshold
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
      "${id}-replication-lag" = {
        description = "Redis node ${id}: replication lag above ${var.redis_replication_lag_seconds} s for 10 minutes"
        runbook     = "redis.md#replication-lag"
        namespace   = "AWS/ElastiCache"
        metric      = "ReplicationLag"
        dimensions  = { CacheClusterId = id }
        statistic   = "Maximum"
        period      = 60
        evaluations = 10
        threshold   = var.redis_replication_lag_seconds
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching" # primaries report no replication lag
      }
      "${id}-connections-high" = {
        description = "Redis node ${id}: more than ${var.redis_connections_threshold} client connections for 15 minutes"
        runbook     = "redis.md#connections-high"
        namespace   = "AWS/ElastiCache"
        metric      = "CurrConnections"
        dimensions  = { CacheClusterId = id }
        statistic   = "Maximum"
        period      = 300
        evaluations = 3
        threshold   = var.redis_connections_threshold
        comparison  = "GreaterThanThreshold"
        missing     = "missing"
      }
    }]...),
    # ------------------------------------------------------------ NAT gateways
    { for id in local.alarm_nat_gateways : "${id}-packets-dropped" => {
      description = "NAT gateway ${id}: more than ${var.nat_packets_dropped_threshold} packets dropped in 5 minutes, 3 periods in a row"
      runbook     = "nat-gateway.md#packets-dropped"
      namespace   = "AWS/NATGateway"
      metric      = "PacketsDropCount"
      dimensions  = { NatGatewayId = id }
      statistic   = "Sum"
      period      = 300
      evaluations = 3
      threshold   = var.nat_packets_dropped_threshold
      comparison  = "GreaterThanThreshold"
      missing     = "notBreaching"
    } },
    # ------------------------------------------------------------ AWS Backup (85-backup's vault)
    var.backup_vault_name == null ? {} : {
      "${var.backup_vault_name}-jobs-failed" = {
        description = "AWS Backup vault ${var.backup_vault_name}: a backup job failed or expired in the last 24 hours"
        runbook     = "backup.md#backup-job-failed"
        namespace   = "AWS/Backup"
        metric      = "NumberOfBackupJobsFailed"
        dimensions  = { BackupVaultName = var.backup_vault_name }
        statistic   = "Sum"
        period      = 86400
        evaluations = 1
        threshold   = 0
        comparison  = "GreaterThanThreshold"
        missing     = "notBreaching"
      }
    },
  )
  metric_alarms = var.create_metric_alarms ? local.metric_alarm_specs : {}

  # Metrics Insights: every ALB of the account (the Load Balancer Controller names them at run
  # time) and every pod of the cluster.
  query_alarm_specs = {
    "${var.name_prefix}-alb-5xx" = {
      description = "ALBs: the load balancers themselves answered more than ${var.alb_5xx_threshold} 5xx in 5 minutes, 3 periods in a row (no healthy target, misconfigured listener)"
      runbook     = "alb.md#alb-5xx"
      query       = "SELECT SUM(HTTPCode_ELB_5XX_Count) FROM SCHEMA(\"AWS/ApplicationELB\", LoadBalancer)"
      period      = 300
      evaluations = 3
      threshold   = var.alb_5xx_threshold
      missing     = "notBreaching"
    }
    "${var.name_prefix}-alb-target-5xx" = {
      description = "ALBs: targets (pods) answered more than ${var.alb_5xx_threshold} 5xx in 5 minutes, 3 periods in a row"
      runbook     = "alb.md#target-5xx"
      query       = "SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA(\"AWS/ApplicationELB\", LoadBalancer)"
      period      = 300
      evaluations = 3
      threshold   = var.alb_5xx_threshold
      missing     = "notBreaching"
    }
    "${var.name_prefix}-alb-unhealthy-targets" = {
      description = "ALBs: a target group has had unhealthy targets for 10 minutes"
      runbook     = "alb.md#unhealthy-targets"
      query       = "SELECT MAX(UnHealthyHostCount) FROM SCHEMA(\"AWS/ApplicationELB\", LoadBalancer, TargetGroup)"
      period      = 300
      evaluations = 2
      threshold   = 0
      missing     = "notBreaching"
    }
    "${var.cluster_name}-pod-restarts" = {
      description = "EKS ${var.cluster_name}: containers restarted more than ${var.pod_restarts_threshold} times in 5 minutes across the cluster, 3 periods in a row (crash loops, OOM kills)"
      runbook     = "container-insights.md#pod-restarts"
      query       = "SELECT SUM(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = '${var.cluster_name}'"
      period      = 300
      evaluations = 3
      threshold   = var.pod_restarts_threshold
      missing     = "notBreaching"
    }
  }
  query_alarms = var.create_metric_alarms ? local.query_alarm_specs : {}
}

resource "aws_cloudwatch_metric_alarm" "metric" {
  for_each = local.metric_alarms

  alarm_name          = each.key
  alarm_description   = "${each.value.description}. Runbook: ${local.runbooks}/${each.value.runbook}"
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluations
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  tags = merge(var.tags, { Name = each.key })
}

resource "aws_cloudwatch_metric_alarm" "query" {
  for_each = local.query_alarms

  alarm_name          = each.key
  alarm_description   = "${each.value.description}. Runbook: ${local.runbooks}/${each.value.runbook}"
  evaluation_periods  = each.value.evaluations
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = each.value.missing
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "q1"
    expression  = each.value.query
    period      = each.value.period
    label       = each.key
    return_data = true
  }

  tags = merge(var.tags, { Name = each.key })
}
