# The two commands of the README: `make demo` and `make test`.
# Both set up everything they need (a virtual environment in .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := build/demo
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: pasang demo lihat test bench mutasi kunci clean

# The locked versions (with their hashes), then pengaduan itself without resolving anything again.
$(STAMP): pyproject.toml .ci/requirements-test.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r .ci/requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Installs the `pengaduan` program into .venv/ (for daily use: `. .venv/bin/activate`).
pasang: $(STAMP)
	@echo "Terpasang. Aktifkan di setiap terminal baru: . .venv/bin/activate   (lalu: pengaduan identitas)"

demo: $(STAMP)
	rm -rf $(DEMO) build/site  # both are this target's own output
	$(BIN)/pengaduan demo $(DEMO) --jumlah 300
	$(BIN)/pengaduan --repo $(DEMO) periksa --ketat
	$(BIN)/pengaduan --repo $(DEMO) audit
	$(BIN)/pengaduan --repo $(DEMO) status
	$(BIN)/pengaduan --repo $(DEMO) situs --keluar build/site --ketat
	@echo "Situs publik dibangun di build/site: buka build/site/index.html di peramban,"
	@echo "atau sajikan dengan: make lihat   (http://127.0.0.1:$(PORT)/, juga untuk pencarian)."

# Serves the demo's public site (built by `make demo`) until Ctrl+C.
lihat:
	@test -f build/site/index.html || { echo "Situs contoh belum dibangun; jalankan dulu: make demo"; exit 1; }
	@echo "Situs publik: http://127.0.0.1:$(PORT)/ (hentikan dengan Ctrl+C)."
	@$(BIN)/python -m http.server --bind 127.0.0.1 --directory build/site $(PORT) >/dev/null 2>&1 || \
		{ echo "Port $(PORT) sudah dipakai; coba: make lihat PORT=8001"; exit 1; }

test: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/history.py
	$(BIN)/python bench/site.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/cli.py

# Mutation testing of calendar, audit, projection and the YAML reader (bench/mutation.md); long: see there.
mutasi: $(STAMP)
	$(BIN)/pip install --quiet -e '.[mutasi]'  # mutmut: a tool for this target only, not locked
	bench/mutasi.sh

# After changing the dependencies in pyproject.toml: new lock files (needs uv: pip install uv).
kunci:
	UV=$(or $(UV),uv) .ci/lock

clean:
	rm -rf build site site-internal .pytest_cache
