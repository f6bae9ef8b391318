"""Scenario composer for scripts/make-scenarios: capture I/O (pcapio), flow cutting and
re-staging (clips), the scenarios' places, networks and hosts (world), and the scenarios
themselves (compose)."""
