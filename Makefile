# saga — every install step lives here, so a fresh machine needs only `make demo` or `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.saga-installed
DATA   ?= ../shared/data

.PHONY: setup demo test lint bench nlp-model genders capitals acceptability-model tiny-model nlp-eval scorer-eval clean

# torch first and pinned: the CPU wheel is 2.13.0; an unpinned `torch` would pull GBs of CUDA packages.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml setup.py
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/saga run recipes/demo-cpu.yaml

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python -m bench

# Retrain the bundled spaCy pipeline from the treebanks (15–30 minutes on 2 cores), install it in assets/, and
# rebuild the scorer's tag n-gram model from the same training corpus and its acceptability classifier, which
# reads the new pipeline's parses.
nlp-model: setup
	$(BIN)/saga nlp train --data $(DATA) --out build/nlp --install
	$(BIN)/saga scorer train-lm --corpus build/nlp/corpus --out assets/scorer/tag_ngram_v1.json
	$(MAKE) acceptability-model

# Recount the agreement rules' noun and adjective genders from the treebank (seconds) into assets/scorer/.
genders: setup
	$(BIN)/saga scorer build-genders --data $(DATA)

# Recount which words edited Bokmål capitalises inside a sentence (seconds) into assets/scorer/.
capitals: setup
	$(BIN)/saga scorer build-capitals --data $(DATA)

# Retrain the scorer's acceptability classifier (about 25 minutes on 2 cores) into assets/scorer/.
acceptability-model: setup
	$(BIN)/saga scorer train-acceptability --data $(DATA) --n-process 2

# Retrain the bundled tiny policy model (about 10 minutes on one core) into assets/.
tiny-model: setup
	$(BIN)/saga model train-tiny --data $(DATA) --out assets/tiny_nb_mistral

nlp-eval: setup
	$(BIN)/saga nlp evaluate

# With ../shared/data/nocola_dev (evaluation only, never in the repository) the real learner errors are measured too.
NOCOLA ?= $(DATA)/nocola_dev/NoCoLa_class_dev.txt
scorer-eval: setup
	$(BIN)/saga scorer eval $(if $(wildcard $(NOCOLA)),--nocola $(NOCOLA))

clean:
	rm -rf build .pytest_cache .ruff_cache
