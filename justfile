# Everyday commands. `just --list` shows them.

# Start the web UI on the demo map (http://127.0.0.1:8080)
run:
    cargo run --release -- serve --demo

# The whole test suite (what CI runs)
test:
    cargo test --workspace

# Lints as CI would want them
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

fmt:
    cargo fmt --all

# Rewrite the golden files of tests/golden/ from the current output (review the diff!)
golden:
    UPDATE_GOLDEN=1 cargo test -p vertoog-cli --test golden

# ARCHITECTURE.md's invariants (no sled outside the store, no I/O in the core, ...)
tidy:
    cargo test -p vertoog-cli --test tidy

# Benchmarks of the analysis (see bench/README.md)
bench:
    cargo bench -p vertoog-analysis

# Regenerate the demo map's CSV files from data/demo/make_demo.py
demo-data:
    python3 data/demo/make_demo.py
