output "id" {
  description = "Bucket name."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "Bucket ARN."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "id_with_policy" {
  description = "Bucket name, known only once the bucket policy is in place: use it as a log-delivery target so logging is switched on after the grant that lets the delivery service write."
  value       = aws_s3_bucket_policy.this.bucket
}
