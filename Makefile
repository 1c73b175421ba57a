# Two commands do all the set-up: `make run` serves the app, `make test` runs every test.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
REPLICAS ?= 2
PIP    := $(PY) -m pip install --disable-pip-version-check -q

.PHONY: run cluster test test-fast bench clean

# A stamp per requirements file: reinstall only when the file changes.
$(VENV)/.stamp-run: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements-dev.txt
	touch $(VENV)/.stamp-run $@

run: $(VENV)/.stamp-run
	$(PY) -m components.serve --server.port $(PORT)

# N replicas of `make run` behind nginx on PORT (the replicas on the next ports): README "Scaling out".
cluster: $(VENV)/.stamp-run
	$(PY) -m deploy.cluster --replicas $(REPLICAS) --port $(PORT)

test: $(VENV)/.stamp-dev
	$(PY) -m pytest -q

# Everything but the browser tests, for a quick loop while editing.
test-fast: $(VENV)/.stamp-dev
	$(PY) -m pytest -q -m "not browser"

# Every benchmark script (loadgen.py is load.py's library; load.py alone takes about 20 minutes).
bench: $(VENV)/.stamp-dev
	for b in $(filter-out benchmarks/loadgen.py,$(wildcard benchmarks/*.py)); do echo "== $$b"; $(PY) $$b || exit 1; done

# After a message changes in the code: extract it into locales/*.pot and bring every .po up to date.
messages: $(VENV)/.stamp-dev
	$(PY) -m tools.messages

clean:
	rm -rf $(VENV) .pytest_cache .jax_cache test-artifacts
