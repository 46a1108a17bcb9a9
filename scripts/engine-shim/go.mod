module orch.invalid/engine-shim

go 1.22
