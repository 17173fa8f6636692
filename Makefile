# Flask Learning Track. `make help` lists everything; every target works on a fresh clone:
# the first one creates .venv from the pinned requirements.txt (via `python -m track setup`).
#
#   make chapter-1 run        serve chapter 1 (your copy) on http://127.0.0.1:5000
#   make chapter-1 check      grade it
#   make test                 prove the whole course is sound (what CI runs)

PYTHON ?= python3
# TRACK_VIA_MAKE: messages then name commands the way you typed them (`make chapter-1 hint`).
TRACK := TRACK_VIA_MAKE=1 $(PYTHON) -m track
# The learner's verbs print their own verdict; make's "*** Error 1" after a failing check or a
# declined reset would only add noise. `python -m track` keeps the exit codes (0 pass,
# 1 fail or declined, 2 could not grade) for scripts.
QUIET := || true
VENV_PYTHON := .venv/bin/python

# `make chapter-3 run` and `make run CHAPTER=3` mean the same; chapter-03 works too.
CHAPTER ?= $(patsubst chapter-%,%,$(firstword $(filter chapter-%,$(MAKECMDGOALS))))
HOST ?= 127.0.0.1
PORT ?= 5000
RUN_FLAGS = --host $(HOST) --port $(PORT) $(if $(DEV),--dev) $(if $(SOLUTION),--solution)
need_chapter = $(if $(CHAPTER),,$(error Which chapter? Say `make chapter-1 $@` or `make $@ CHAPTER=1`))

.DEFAULT_GOAL := help
.PHONY: help setup test run check hint watch reset solution demo serve-prod list progress grade web postman bench mutation stubs clean

help: ## list the targets
	@echo "Flask Learning Track"
	@echo
	@echo "  make chapter-N VERB    (or make VERB CHAPTER=N); VERB is one of:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | grep -E '^(run|check|hint|watch|reset|solution|demo|serve-prod):' | \
	  awk -F':.*## ' '{printf "    %-12s %s\n", $$1, $$2}'
	@echo
	@echo "  Course-wide:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | grep -vE '^(help|run|check|hint|watch|reset|solution|demo|serve-prod):' | \
	  awk -F':.*## ' '{printf "    make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "  Options: HOST=127.0.0.1 PORT=5000 DEV=1 (Flask dev server) SOLUTION=1 (reference copy)"
	@echo "           YES=1 (reset without asking) FORCE=1 (solution before passing) QUICK=1 (bench)"
	@echo "           MINE=1 STEP=1 HANDOUT=f.html (demo: your copy even unsolved; pause after each exchange;"
	@echo "           also write the walkthrough as one page)"
	@echo "  Without make: python -m track --help"

chapter-%: ## pick a chapter for the verb that follows
	@$(if $(filter-out chapter-%,$(MAKECMDGOALS)),:,echo "What should chapter $* do? e.g. make chapter-$* run (see make help)")

setup: ## create .venv and install the pinned requirements
	@$(TRACK) setup

run: ## serve the chapter with gevent on http://HOST:PORT (DEV=1: Flask's dev server)
	$(need_chapter)@$(TRACK) run $(CHAPTER) $(RUN_FLAGS) $(QUIET)

check: ## grade your copy of the chapter, one line per exercise
	$(need_chapter)@$(TRACK) check $(CHAPTER) $(QUIET)

hint: ## show the next hint for the first unsolved exercise
	$(need_chapter)@$(TRACK) hint $(CHAPTER) $(QUIET)

watch: ## re-check on every save, then move on to the next chapter
	@$(TRACK) watch $(CHAPTER) $(QUIET)

reset: ## restore the pristine stub (asks first; YES=1 to skip)
	$(need_chapter)@$(TRACK) reset $(CHAPTER) $(if $(YES),--yes) $(QUIET)

solution: ## diff your copy against the reference once it passes (FORCE=1: earlier)
	$(need_chapter)@$(TRACK) solution $(CHAPTER) $(if $(FORCE),--force) $(QUIET)

demo: ## classroom walkthrough: live server + client.py step by step (SOLUTION=1 reference, MINE=1 yours, STEP=1 pause, HANDOUT=f.html page)
	$(need_chapter)@$(TRACK) demo $(CHAPTER) $(if $(SOLUTION),--solution) $(if $(MINE),--mine) $(if $(STEP),--step) $(if $(HANDOUT),--handout "$(HANDOUT)") $(QUIET)

serve-prod: ## serve under gunicorn with the chapter's gunicorn.conf.py (chapter 10)
	$(need_chapter)@$(TRACK) serve-prod $(CHAPTER) $(if $(SOLUTION),--solution)

list: ## chapters and how many exercises you solved
	@$(TRACK) list $(QUIET)

progress: ## table of chapters, points and the next step
	@$(TRACK) progress $(QUIET)

grade: ## grade every chapter; JSON=results.json writes the classroom report
	@$(TRACK) grade $(if $(JSON),--json $(JSON)) $(QUIET)

# The slowest tests end the report, so CI's log says where a slower `make test` spends its time.
test: setup node_modules/.bin/newman ## prove the course is sound: solutions pass, stubs fail, lessons match code
	$(VENV_PYTHON) -m pytest --target solutions --durations=15

# newman runs the Postman collections in `make test`. Without a system npm, the Node.js wheel that
# requirements.txt pins installs it (.venv/bin/npm). If npm ci fails (offline), the run goes on and
# ends by naming the newman tests it could not run.
NPM := $(if $(shell command -v npm),npm,.venv/bin/npm)
node_modules/.bin/newman: package-lock.json | setup
	@if $(NPM) ci --no-audit --no-fund --loglevel=error; then touch $@; else echo "npm ci failed: the newman tests will not run"; fi

web: setup ## the course in your browser on http://127.0.0.1:8000 (PORT=8001 moves it)
	@$(TRACK) web $(if $(filter command line environment,$(origin PORT)),--port $(PORT)) $(QUIET)

postman: setup ## write Postman collections (CHAPTER=N for one, else all chapters)
	@$(TRACK) postman $(or $(CHAPTER),--all) $(QUIET)

bench: setup ## performance figures as a table (QUICK=1 for a smoke run)
	$(VENV_PYTHON) -m benchmarks $(if $(QUICK),--quick)

mutation: setup ## maintainers: how many mutants of the solutions the graders kill (CHAPTER=N for one)
	TRACK_VIA_MAKE=1 $(VENV_PYTHON) -m benchmarks.mutation $(CHAPTER)

stubs: setup ## maintainers: regenerate chapters/ stubs from solutions/
	@$(TRACK) stubs

clean: ## remove .venv, .track and instance/ (uploads, databases); your code stays
	rm -rf .venv .track instance

# Any other goal is a typo (`make chapter-1 chek`): name the closest target instead of make's
# "No rule to make target". The targets are read from this file's `## ` lines.
TARGETS = $(shell sed -n 's/^\([a-z-]*\):.*## .*/\1/p' $(firstword $(MAKEFILE_LIST)))
CLOSEST = import difflib, sys; found = difflib.get_close_matches(sys.argv[1], sys.argv[2:], 1, 0.6); \
	print(f" Did you mean {found[0]}?" if found else "")
Makefile: ;
%:
	$(error There is no target "$@".$(shell $(PYTHON) -c '$(CLOSEST)' '$@' $(TARGETS)) `make help` lists them)
