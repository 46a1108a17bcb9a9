# StorageClasses for the CSI drivers: gp3, encrypted with the platform's EBS key, is the default
# class; the in-tree gp2 class EKS creates stops being default (two defaults make Kubernetes pick
# one unpredictably); an EFS class provisions an access point per volume on 80-storage's file system.
resource "kubernetes_storage_class_v1" "gp3" {
  count = local.helm_enabled ? 1 : 0

  metadata {
    name        = "gp3"
    annotations = { "storageclass.kubernetes.io/is-default-class" = "true" }
  }
  storage_provisioner    = "ebs.csi.aws.com"
  reclaim_policy         = "Delete"
  volume_binding_mode    = "WaitForFirstConsumer" # the volume's AZ follows the pod's node
  allow_volume_expansion = true
  parameters = {
    type      = "gp3"
    encrypted = "true"
    kmsKeyId  = var.ebs_kms_key_arn
    fsType    = "ext4"
  }

  depends_on = [aws_eks_addon.this]
}

resource "kubernetes_annotations" "gp2_not_default" {
  count = local.helm_enabled ? 1 : 0

  api_version = "storage.k8s.io/v1"
  kind        = "StorageClass"
  metadata {
    name = "gp2"
  }
  annotations = { "storageclass.kubernetes.io/is-default-class" = "false" }
  force       = true
}

resource "kubernetes_storage_class_v1" "efs" {
  count = local.helm_enabled && var.efs_file_system_id != null ? 1 : 0

  metadata {
    name = "efs"
  }
  storage_provisioner = "efs.csi.aws.com"
  reclaim_policy      = "Delete"
  parameters = {
    provisioningMode = "efs-ap"
    fileSystemId     = var.efs_file_system_id
    directoryPerms   = "700"
    basePath         = "/dynamic"
  }

  depends_on = [aws_eks_addon.this]
}
