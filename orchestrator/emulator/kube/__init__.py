"""The local twin of an EKS control plane: etcd, kube-apiserver, kube-controller-manager,
kube-scheduler and kwok (simulated nodes), built from the Go module proxy by
scripts/install-tools.sh (`k8s:` lines of scripts/tools.lock) and linked into .venv/bin.

The emulator starts one control plane per EKS cluster when CreateCluster is called, as EKS does
(orchestrator/emulator/patches/kube/), and stops it with DeleteCluster or the emulator. Each
control plane has its own CA (DescribeCluster's certificateAuthority), its own service-account
issuer (the cluster's OIDC issuer) and lives in `<state dir>/kube/<cluster>/` (etcd data, keys,
logs). Authentication and authorization follow EKS: the API server asks the emulator (its token
and authorization webhooks) who a `k8s-aws-v1.` token is and what the caller's access policies
allow; the control plane's own components use client certificates.

Nothing here runs in orch's process during a run: the emulator process calls `launch.start` and
`ControlPlane.stop`. The modules: binaries (whether the control plane can run, and why not), pki
(the cluster's CA, certificates and kubeconfigs), plane (a running control plane, its processes
and readiness waits, the Nodes kwok keeps), launch (starting each component in turn), clients (an
EKS token and a call with it, for tests and `orch local` users).
"""
