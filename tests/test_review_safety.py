"""Issue 12, reviewed: attacks on the new safety code that got through, each through the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import PolicyRepo, policy_text

AS_OF = "2026-11-25"


def test_a_users_backup_copy_of_the_output_beside_it_is_kept(three_versions: PolicyRepo, tmp_path: Path) -> None:
    # `cp -r site .site.old-backup`: the natural backup is a copy of the output, marker and all; the
    # tool's own leftovers are named `.site.old-<pid>`, and only those may be cleared or put back.
    site = tmp_path / "site"
    three_versions.smops("build", "--as-of", AS_OF, "--output", str(site), "--no-cache", check=True)
    backup = tmp_path / ".site.old-backup"
    shutil.copytree(site, backup)
    (backup / "my-notes.txt").write_text("kept\n", encoding="utf-8")
    aside = tmp_path / ".site.building-mine"
    shutil.copytree(site, aside)

    result = three_versions.smops("build", "--as-of", AS_OF, "--output", str(site), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert (backup / "my-notes.txt").read_text(encoding="utf-8") == "kept\n"
    assert (backup / "alpha" / "versions.json").is_file()
    assert (aside / "alpha" / "versions.json").is_file()

    # without the output, the backup is still the user's: not renamed into the output's place
    shutil.rmtree(site)
    result = three_versions.smops("build", "--as-of", AS_OF, "--output", str(site), "--no-cache")
    assert result.returncode == 0, result.stderr
    assert (backup / "my-notes.txt").is_file()
    assert not (site / "my-notes.txt").exists()


# HTML in mkdocs.yml's copyright that makes every page contact another host, past the first list of
# elements: inline SVG's <image>, <base> (every relative address then goes to that host), an image input.
COPYRIGHT_LOADS = [
    '<svg width="1" height="1"><image href="https://evil.example/p.png"/></svg> SMOps',
    '<base href="https://evil.example/"> SMOps',
    '<input type="image" src="https://evil.example/p.png"> SMOps',
    '<table background="https://evil.example/p.png"><tr><td>SMOps</td></tr></table>',
]


@pytest.mark.parametrize("copyright", COPYRIGHT_LOADS)
def test_a_copyright_that_loads_from_another_host_is_refused(
    three_versions: PolicyRepo, tmp_path: Path, copyright: str
) -> None:
    config = three_versions.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") + f"copyright: '{copyright}'\n"
    config.write_text(text, encoding="utf-8")
    three_versions.commit("a footer", "2026-11-02T10:00:00+01:00")
    line = len(text.splitlines())
    checked = three_versions.smops("check")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert f"mkdocs.yml:{line}: copyright: holds HTML that loads a file" in checked.stderr, checked.stderr
    out = tmp_path / "site"
    built = three_versions.smops("build", "--as-of", AS_OF, "--output", str(out), "--no-cache")
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert f"mkdocs.yml:{line}: copyright:" in built.stderr
    assert not out.exists()


def test_a_hook_in_mkdocs_yml_is_a_warning_of_check_as_an_unknown_plugin_is(three_versions: PolicyRepo) -> None:
    # a hook is Python run on every page: this one adds a script from another host to each of them
    three_versions.write(
        "hook.py",
        "def on_post_page(output, page, config):\n"
        "    return output.replace('</head>', '<script src=\"https://evil.example/t.js\"></script></head>')\n",
    )
    config = three_versions.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") + "hooks:\n  - hook.py\n"
    config.write_text(text, encoding="utf-8")
    three_versions.commit("a hook", "2026-11-02T10:00:00+01:00")
    result = three_versions.smops("check")
    line = len(text.splitlines())
    assert f"mkdocs.yml:{line}: warning: hooks.0: the hook 'hook.py' runs on every page" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert three_versions.smops("check", "--strict").returncode == 1


def test_allowed_inline_html_reads_as_written_and_stays_valid(policy_repo: PolicyRepo, tmp_path: Path) -> None:
    # an HTML block (a tag alone on its line) is raw HTML: its `&amp;` is '&', as in the paragraph; and
    # an attribute written twice is kept once (a browser keeps the first), so the page stays valid HTML
    policy_repo.write(
        "policies/privacy/en.md",
        policy_text(
            "1.0",
            "2020-01-01",
            ['We follow the <abbr title="General Data Protection Regulation" title="GDPR">GDPR</abbr>.', "Two."],
        )
        + '\n<abbr title="Terms and Conditions">\nTerms &amp; Conditions &copy; 2026 &lt;b&gt;\n</abbr>\n',
    )
    policy_repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Een.", "Twee."]))
    policy_repo.commit("a policy", "2019-12-01T10:00:00+01:00")
    assert policy_repo.smops("check").returncode == 0
    out = tmp_path / "site"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), "--no-cache", check=True)
    page = (out / "alpha" / "en" / "privacy" / "index.html").read_text(encoding="utf-8")
    assert "Terms &amp; Conditions © 2026 &lt;b&gt;" in page
    assert "&amp;amp;" not in page and "&amp;copy;" not in page
    assert '<abbr title="General Data Protection Regulation">GDPR</abbr>' in page


@pytest.mark.parametrize("version", ["1０", "1.١"])  # a full-width zero (a Japanese IME), an Arabic-Indic one
def test_a_version_number_with_digits_other_than_ascii_is_refused(
    three_versions: PolicyRepo, tmp_path: Path, version: str
) -> None:
    # Python's \d and int() take any script's digits: '1０' passed as a new version after 1.1 (int 10),
    # and would have named a folder and an address /privacy/1０/
    text = policy_text(version, "2021-06-01", ["We keep your records safe.", "Changed."])
    three_versions.write("policies/privacy/nl.md", text)
    three_versions.commit("a version with other digits", "2021-05-01T10:00:00+01:00")
    line = text.splitlines().index(f'version: "{version}"') + 1
    result = three_versions.smops("check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"policies/privacy/nl.md:{line}: version is '{version}'; it must be a dotted number" in result.stderr
    out = tmp_path / "site"
    built = three_versions.smops("build", "--as-of", AS_OF, "--output", str(out), "--no-cache")
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("key", "written", "message"),
    [
        ("support_url", "https://alpha.example/help", "is not an absolute https:// address"),
        ("url", "https://alpha.example/", "is not an https:// address ending in '/', without ? or #"),
    ],
)
def test_a_site_address_ending_in_a_line_break_is_refused(
    three_versions: PolicyRepo, key: str, written: str, message: str
) -> None:
    # `$` matches before a final line break: 'https://alpha.example/help\n' passed and was published
    # (a link to .../help%0A); a `url` got the hint to add a '/' after the line break
    sites = three_versions.path / "policies" / "sites.yml"
    text = sites.read_text(encoding="utf-8").replace(f"    {key}: {written}\n", f'    {key}: "{written}\\n"\n')
    sites.write_text(text, encoding="utf-8")
    three_versions.commit("an address with a line break", "2026-11-02T10:00:00+01:00")
    line = text.splitlines().index(f'    {key}: "{written}\\n"') + 1
    result = three_versions.smops("check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"policies/sites.yml:{line}: Site 'alpha': {key} '{written}\\n' {message}" in result.stderr, result.stderr
    assert "must end with" not in result.stderr


def test_a_site_value_shaped_like_a_placeholder_marker_brings_in_no_unchecked_link(
    policy_repo: PolicyRepo, tmp_path: Path
) -> None:
    # Values were put in twice: the link targets (checked), then every marker left, the values just put
    # in included. A value spelled as a marker ('%EE%80%80evil%EE%80%81') brought in another past the check.
    sites = (policy_repo.path / "policies" / "sites.yml").read_text(encoding="utf-8")
    sites = sites.replace(
        "    support_url: https://alpha.example/help\n",
        '    support_url: https://alpha.example/help\n    handle: "%EE%80%80evil%EE%80%81"\n'
        '    evil: "javascript:alert(1)"\n',
    ).replace(
        "    support_url: https://beta.example/support\n",
        "    support_url: https://beta.example/support\n    handle: x\n",
    )
    policy_repo.write("policies/sites.yml", sites)
    policy_repo.write(
        "policies/privacy/en.md",
        policy_text("1.0", "2020-01-01", ["See [our handle]({{ site.handle }}).", "Two."]),
    )
    policy_repo.write("policies/privacy/nl.md", policy_text("1.0", "2020-01-01", ["Een.", "Twee."]))
    policy_repo.commit("a value shaped like a marker", "2019-12-01T10:00:00+01:00")
    out = tmp_path / "site"
    policy_repo.smops("build", "--as-of", AS_OF, "--output", str(out), "--no-cache", check=True)
    page = (out / "alpha" / "en" / "privacy" / "index.html").read_text(encoding="utf-8")
    assert "javascript:" not in page
    assert '<a href="%EE%80%80evil%EE%80%81">our handle</a>' in page  # the value as written, a harmless address


@pytest.mark.parametrize("option", ["--output", "--cache"])
def test_a_folder_below_a_file_is_refused_without_a_traceback(
    three_versions: PolicyRepo, tmp_path: Path, option: str
) -> None:
    # `--output notes.txt/site`: making the folder failed with a FileExistsError traceback
    notes = tmp_path / "notes.txt"
    notes.write_text("mine\n", encoding="utf-8")
    args = ["--output", str(tmp_path / "site")] if option == "--cache" else []
    result = three_versions.smops("build", "--as-of", AS_OF, *args, option, str(notes / "folder"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (
        f"{notes / 'folder'}: cannot be made: {notes} is a file, not a folder (choose another folder for {option}"
        in (result.stderr)
    )
    assert notes.read_text(encoding="utf-8") == "mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt", "repo"]


@pytest.mark.parametrize("option", ["--output", "--cache"])
def test_a_folder_name_the_system_refuses_is_a_problem_not_a_traceback(
    three_versions: PolicyRepo, tmp_path: Path, option: str
) -> None:
    # a name longer than the file system allows: looking at it raised OSError (File name too long)
    name = tmp_path / ("a" * 300)
    args = ["--output", str(tmp_path / "site")] if option == "--cache" else []
    result = three_versions.smops("build", "--as-of", AS_OF, *args, option, str(name))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{name}: cannot be used (File name too long) (choose another folder for {option})" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["repo"]


def test_an_output_whose_building_folder_cannot_be_made_is_a_problem_not_a_traceback(
    three_versions: PolicyRepo, tmp_path: Path
) -> None:
    # a name of 250 characters is allowed, the folder built aside (.<name>.building-PID-…) is too long
    name = tmp_path / ("b" * 250)
    result = three_versions.smops("build", "--as-of", AS_OF, "--output", str(name), "--no-cache")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{tmp_path}: the output {name.name} cannot be made here (File name too long)" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["repo"]
