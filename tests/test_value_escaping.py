"""A Site value put into a policy's text (`{{ site.KEY }}`) shows exactly as sites.yml writes it, on the
version page and in its redline: it is text, never markup (issue 15: removing the escaping of
placeholder values passed the whole suite)."""

from __future__ import annotations

from pathlib import Path

from .conftest import SITES_YML, PolicyRepo, policy_text
from .htmlpage import parse

BRAND = 'Alpha & "Co" <b>bold</b><script>alert(1)</script>'


def test_a_site_value_in_a_clause_reads_as_typed_and_adds_no_markup(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    repo = policy_repo
    repo.write(
        "policies/sites.yml",
        SITES_YML.replace(
            "    support_url: https://alpha.example/help\n",
            f"    support_url: https://alpha.example/help\n    brand: '{BRAND}'\n",
            1,
        ).replace(
            "    support_url: https://beta.example/support\n",
            "    support_url: https://beta.example/support\n    brand: Beta\n",
        ),
    )
    clauses = ["{{ site.brand }} keeps your records safe.", "Write to {{ site.support_url }}."]
    repo.write("policies/privacy/en.md", policy_text("1.0", "2020-01-01", clauses))
    repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", clauses))
    repo.commit("1.0", "2019-12-01T10:00:00+01:00")
    repo.write("policies/privacy/en.md", policy_text("1.1", "2021-01-01", [*clauses, "{{ site.brand }} answers."]))
    repo.commit("1.1", "2020-12-01T10:00:00+01:00")
    out = tmp_path / "site"
    repo.smops("build", "--as-of", "2026-11-25", "--output", str(out), check=True)

    for url in ("alpha/en/privacy/1.0/index.html", "alpha/en/privacy/changes/1.0...1.1/index.html"):
        page = parse(out / url)
        assert f"{BRAND} keeps your records safe." in page.text, url
        assert not page.all("b") and not [s for s in page.all("script") if "alert" in s.text], url
    beta = parse(out / "beta/en/privacy/1.0/index.html")
    assert "Beta keeps your records safe." in beta.text
