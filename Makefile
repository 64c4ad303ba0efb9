# Terbuka: one command to run, one to test. Only python3 is assumed; the rest installs itself.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
BOOT := var/bootstrap
UV := $(BOOT)/bin/uv
RUN := $(UV) run --frozen
PY_PACKAGES := -p ppid_kit -p auth_service -p registry_service -p requests_service -p gateway

.PHONY: help install run test lint k8s fmt openapi dockerfiles bench

help: ## Show the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	python3 -m venv $(BOOT)
	$(BOOT)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV) ## Install the locked dependencies into .venv
	$(UV) sync --frozen --python python3 --quiet

run: install ## Start PostgreSQL (if none is configured), migrate, and run the four apps
	$(RUN) python -m tools.run

lint: install ## ruff, ruff format --check, mypy --strict
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy $(PY_PACKAGES)
	$(RUN) mypy tools tests
	for svc in auth registry requests; do (cd services/$$svc && ../../$(RUN) mypy migrations) || exit 1; done

k8s: install ## Render the Kubernetes overlays (deploy/k8s) and validate them offline
	$(RUN) python -m tools.k8s

test: lint k8s ## Lint, validate the Kubernetes manifests, then the whole test suite
	$(RUN) pytest -q

fmt: install ## Format and fix what ruff can
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

bench: install ## Measure against references on a generated province (bench/results/latest.md)
	$(RUN) python -m tools.bench

openapi: install ## Regenerate the committed specs in openapi/
	$(RUN) python -m tools.openapi

dockerfiles: install ## Regenerate each app's Dockerfile from deploy/docker/Dockerfile
	$(RUN) python -m tools.dockerfiles
