"""AWS: sessions and credentials, the state backend, the cluster-access pre-check."""
