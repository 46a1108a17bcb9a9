# Thin wrappers; every target works from a fresh clone after `make setup`.
.PHONY: setup test test-fast lint fmt docs relock demo clean help

help:           ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup:          ## create .venv, install orch, build engines/providers (cached)
	./scripts/setup.sh

test:           ## the whole suite (what CI runs)
	.venv/bin/pytest -n 2 --dist loadfile

test-fast:      ## unit tests only (no engines, no emulator)
	.venv/bin/pytest -m "not engines and not emulator and not slow"

lint:           ## ruff, mypy (strict), tofu fmt, module docs, checkov, tflint, npm-groovy-lint (Jenkinsfile)
	.venv/bin/ruff check orchestrator tests scripts benchmarks
	.venv/bin/ruff format --check orchestrator tests scripts benchmarks
	.venv/bin/mypy
	.venv/bin/tofu fmt -check -recursive terraform environments bootstrap
	cd environments && ../.venv/bin/terragrunt hcl format --check
	cd bootstrap && ../.venv/bin/terragrunt hcl format --check
	.venv/bin/python scripts/gen_module_docs.py --check
	.venv/bin/python scripts/run_checkov.py
	.venv/bin/tflint --config "$(CURDIR)/.tflint.hcl" --recursive --chdir terraform/modules --format compact
	.venv/bin/npm-groovy-lint --noserver --failon error --output txt Jenkinsfile

fmt:            ## format HCL and Python
	.venv/bin/tofu fmt -recursive terraform environments bootstrap
	cd environments && ../.venv/bin/terragrunt hcl format
	cd bootstrap && ../.venv/bin/terragrunt hcl format
	.venv/bin/ruff format orchestrator tests scripts benchmarks

docs:           ## regenerate module READMEs
	.venv/bin/python scripts/gen_module_docs.py

relock:         ## forget this checkout's provider lock files (not committed); the next init records them again
	find environments bootstrap -name .terraform.lock.hcl -type f -delete
	if [ -d .orch ]; then find .orch -name .terraform.lock.hcl -type f -delete; fi

demo:           ## whole platform on the embedded emulator
	.venv/bin/orch --local bootstrap --env eks-prod
	.venv/bin/orch --local apply --dir bootstrap --layer 10-iam-baseline --auto-approve
	.venv/bin/orch --local apply --env eks-prod --all --auto-approve

clean:          ## remove run data and Terragrunt caches (not the engine cache)
	rm -rf .orch
	find environments bootstrap tests -name .terragrunt-cache -type d -prune -exec rm -rf {} +
