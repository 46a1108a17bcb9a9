# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/aws" {
  version     = "6.47.1"
  constraints = ">= 6.0.0, < 7.0.0"
  hashes = [
    "h1:KBJui132nARlWxMi4kMGN0A1qr/p1V5KL8f2V6aTlJs=",
  ]
}
