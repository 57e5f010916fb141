"""Hypothesis settings for the property tests, kept out of conftest.py.

By default a property runs 50 derandomized examples (the same ones on every run, so CI is
reproducible and cheap). `HYPOTHESIS_PROFILE=long` runs 2,000 random examples per property and keeps
the failing ones in `.hypothesis/` to replay them next time; `.github/workflows/properties.yml` runs
the whole non-browser suite that way every night (`make properties`), keeping `.hypothesis/` from one
night to the next, so the fixed examples of every push are backed by new random ones daily:

    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_diff_properties.py -q

(`HYPOTHESIS_PROFILE=mutation`, set by `make mutation`, runs 20 examples and skips shrinking.)

Properties whose every example is a real `check` or `build` on a git repository (BUILDS) run 5 fixed
examples by default (about a second of CPU each property) and 400 random ones with
`HYPOTHESIS_PROFILE=long`; a failure prints the `@reproduce_failure` blob that replays it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
# `make mutation` runs the suite once per mutant (hundreds of times): 20 examples, and no shrinking of a
# failing one (which can take a minute); a failure is all a mutant needs.
MUTATION = os.environ.get("HYPOTHESIS_PROFILE") == "mutation"

# Pure functions only (no git, no builds): an example takes milliseconds, there is no deadline to miss
# on a shared 2-core machine.
PURE = settings(
    max_examples=2_000 if LONG else 20 if MUTATION else 50,
    deadline=None,
    derandomize=not LONG,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate] if MUTATION else list(Phase),
)

# Each example runs the real command on a real repository (about a second): few in CI, fixed ones, so a
# run never meets an input that an earlier run did not.
BUILDS = settings(
    max_examples=400 if LONG else 5,
    deadline=None,
    derandomize=not LONG,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
