# Rollcall: `make run` starts the whole stack on this machine; `make test` runs every test.
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/find-jdk)
export JAVA_HOME
MVN := ./mvnw -B -ntp

.PHONY: help build test chromium xvfb run replay bench native-check clean clean-data

help:
	@echo "make run           build, then start Kafka, PostgreSQL, the three services and a simulator (Ctrl-C stops all)"
	@echo "make test          unit, integration and end-to-end tests against a real broker and a real PostgreSQL"
	@echo "make build         compile and package everything, no tests"
	@echo "make replay        rebuild a projection beside the live one (PROJECTION=workstation-day|roster|presence-day|agents), with progress"
	@echo "make bench         measure ingest, replay, freshness and reports beside Kafka's own rates (BENCH_DAYS=365 for a year)"
	@echo "make native-check  check native readiness of the agent (Quarkus native sources, no GraalVM needed)"
	@echo "make clean         remove build output;  make clean-data  remove local Kafka/PostgreSQL data"
	@echo "Ports (override like HR_PORT=9080 make run): HR_PORT=8080 INGEST_PORT=8081 PROJECTION_PORT=8082 KAFKA_PORT=9092 PG_PORT=5432"

build:
	$(MVN) install -DskipTests

test: chromium xvfb
	$(MVN) install

# Browser tests drive Debian's headless Chromium; install it when missing and we may (root with apt-get).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests…"; \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }) \
	      || echo "Could not install Chromium: browser tests will be skipped"; \
	  else echo "No Chromium (and no root apt-get): browser tests will be skipped"; fi; }

# The agent's workstation test drives a virtual X display with Debian's Xvfb and xdotool; same rule as Chromium.
xvfb:
	@{ command -v Xvfb && command -v xdotool; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Xvfb and xdotool for the workstation test…"; \
	    (apt-get install -y -q xvfb xdotool >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q xvfb xdotool >/dev/null; }) \
	      || echo "Could not install Xvfb/xdotool: the workstation Xvfb test will be skipped"; \
	  else echo "No Xvfb/xdotool (and no root apt-get): the workstation Xvfb test will be skipped"; fi; }

run: build
	scripts/run-local

replay:
	scripts/replay

bench:
	$(MVN) -Pbench install -DskipTests
	bench/run

native-check:
	$(MVN) install -DskipTests -pl presence-agent -am
	$(MVN) package -DskipTests -Pnative -Dquarkus.native.sources-only=true -pl presence-agent

clean:
	$(MVN) -q clean

clean-data:
	rm -rf data
