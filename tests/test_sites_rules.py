"""sites.yml as `check` reads it (content/sites.py), called directly: the publisher's settings, each
Site, and every mistake named with its line and what to do. The same through `check` on real
repositories is in test_foundation.py, test_escaping.py and test_yaml_safety.py."""

from __future__ import annotations

import pytest

from smops_policy.content.sites import MAX_ID, MAX_NOTICE_DAYS, read_publisher
from smops_policy.errors import PolicyError, Problem
from smops_policy.model import DEFAULT_TIMEZONE

PATH = "policies/sites.yml"
ALPHA = """\
  alpha:
    name: Alpha Example
    url: https://alpha.example/
    support_url: https://alpha.example/help?topic=privacy#mail
    phone: 0201234567
    languages: [en, nl]
    policies: [privacy, terms]
"""


def sites_yml(head: str = "timezone: Europe/Amsterdam\nsource_language: en\n", sites: str = ALPHA) -> bytes:
    return f"{head}sites:\n{sites}".encode()


def problems(text: bytes) -> list[Problem]:
    with pytest.raises(PolicyError) as caught:
        read_publisher(text, PATH)
    assert all(p.path == PATH for p in caught.value.problems)
    return caught.value.problems


def one(text: bytes) -> Problem:
    [problem] = problems(text)
    return problem


def test_a_publisher_and_its_sites_as_written() -> None:
    publisher = read_publisher(sites_yml(), PATH)
    assert (publisher.timezone, publisher.source_language, publisher.prevailing_language) == (
        "Europe/Amsterdam",
        "en",
        "en",
    )
    assert publisher.notice_days == 0
    [alpha] = publisher.sites
    assert (alpha.id, alpha.name, alpha.url) == ("alpha", "Alpha Example", "https://alpha.example/")
    assert (alpha.languages, alpha.policies) == (("en", "nl"), ("privacy", "terms"))
    assert dict(alpha.variables) == {
        "id": "alpha",
        "name": "Alpha Example",
        "url": "https://alpha.example/",
        "support_url": "https://alpha.example/help?topic=privacy#mail",
        "phone": "0201234567",  # as written, not the octal number YAML reads
    }
    assert (alpha.languages_line, alpha.policies_line) == (9, 10)


def test_defaults_and_other_settings() -> None:
    publisher = read_publisher(sites_yml(head=""), PATH)
    assert (publisher.timezone, publisher.source_language, publisher.prevailing_language) == (
        DEFAULT_TIMEZONE,
        "en",
        "en",
    )
    other = read_publisher(
        sites_yml(head="timezone: Pacific/Auckland\nsource_language: nl\nprevailing_language: en\nnotice_days: 30\n"),
        PATH,
    )
    assert (other.timezone, other.source_language, other.prevailing_language, other.notice_days) == (
        "Pacific/Auckland",
        "nl",
        "en",
        30,
    )
    assert read_publisher(sites_yml(head=f"notice_days: {MAX_NOTICE_DAYS}\n"), PATH).notice_days == MAX_NOTICE_DAYS


def test_a_site_without_policies_is_an_archive() -> None:
    [alpha] = read_publisher(sites_yml(sites=ALPHA.replace("[privacy, terms]", "[]")), PATH).sites
    assert alpha.policies == ()


@pytest.mark.parametrize(
    ("head", "line", "message", "hint"),
    [
        (
            "a: 1\ntimezone: Mars/Olympus\n",
            2,
            "unknown timezone 'Mars/Olympus'",
            "use an IANA name such as Europe/Amsterdam",
        ),
        ("timezone: 12\n", 1, "unknown timezone 12", "use an IANA name such as Europe/Amsterdam"),
        (f"timezone: {'x' * 300}\n", 1, f"unknown timezone '{'x' * 19}…'", "use an IANA name such as Europe/Amsterdam"),
        (
            "a: 1\nsource_language: xx\nprevailing_language: en\n",
            2,
            "unknown language code 'xx'",
            "use a code such as en or nl",
        ),
        ("a: 1\nprevailing_language: english\n", 2, "unknown language code 'english'", "use a code such as en or nl"),
        ("a: 1\nnotice_days: -1\n", 2, f"notice_days must be a whole number of days from 0 to {MAX_NOTICE_DAYS}", ""),
        (
            f"notice_days: {MAX_NOTICE_DAYS + 1}\n",
            1,
            f"notice_days must be a whole number of days from 0 to {MAX_NOTICE_DAYS}",
            "",
        ),
        ("notice_days: true\n", 1, f"notice_days must be a whole number of days from 0 to {MAX_NOTICE_DAYS}", ""),
        ("notice_days: '3'\n", 1, f"notice_days must be a whole number of days from 0 to {MAX_NOTICE_DAYS}", ""),
    ],
)
def test_each_wrong_setting_is_named_at_its_line(head: str, line: int, message: str, hint: str) -> None:
    problem = one(sites_yml(head=head))
    assert (problem.line, problem.message, problem.hint) == (line, message, hint)


def test_no_sites_or_no_mapping() -> None:
    problem = one(b"timezone: Europe/Amsterdam\nsites: {}\n")
    assert (problem.line, problem.message) == (2, "has no sites")
    assert problem.hint == "add a 'sites:' mapping of Site ids to their name, url, languages and policies"
    assert one(b"timezone: Europe/Amsterdam\nsites: [a]\n").message == "has no sites"
    problem = one(b"- a\n- b\n")
    assert (problem.line, problem.message) == (1, "must be a mapping with timezone, source_language and sites")
    problem = one(b"sites:\n  alpha: 1\n")
    assert (problem.line, problem.message) == (2, "Site 'alpha' must be a mapping")


def test_a_file_that_is_not_utf8_names_its_line() -> None:
    problem = one(b"timezone: Europe/Amsterdam\nsites:\n  alpha:\n    name: Caf\xe9\n")
    assert (problem.line, problem.message, problem.hint) == (4, "is not UTF-8 text", "save it as UTF-8")


@pytest.mark.parametrize(
    ("site_id", "message", "hint"),
    [
        (
            "Alpha",
            "Site id 'Alpha' is not a plain name",
            "use lowercase letters, digits and '-': it names the Site's output folder",
        ),
        (
            "a" * (MAX_ID + 1),
            f"Site id {'a' * 20!r}… is {MAX_ID + 1} characters long",
            f"use at most {MAX_ID}: it names the Site's output folder",
        ),
    ],
)
def test_a_site_id_names_a_folder(site_id: str, message: str, hint: str) -> None:
    problem = one(sites_yml(sites=ALPHA.replace("  alpha:", f"  {site_id}:")))
    assert (problem.line, problem.message, problem.hint) == (4, message, hint)
    assert read_publisher(sites_yml(sites=ALPHA.replace("  alpha:", f"  {'a' * MAX_ID}:")), PATH).sites


def test_every_bad_site_is_reported_not_only_the_first() -> None:
    text = sites_yml(sites="  Bad:\n    name: x\n  beta: 1\n" + ALPHA.replace("    name: Alpha Example\n", ""))
    assert [(p.line, p.message) for p in problems(text)] == [
        (4, "Site id 'Bad' is not a plain name"),
        (6, "Site 'beta' must be a mapping"),
        (7, "Site 'alpha' lacks name"),
    ]
    assert problems(text)[2].hint == "see the README's content format"
    lacking = one(sites_yml(sites="  alpha:\n    name: A\n"))
    assert lacking.message == "Site 'alpha' lacks url, languages, policies"


@pytest.mark.parametrize(
    ("old", "new", "line", "message", "hint"),
    [
        ("[en, nl]", "en", 9, "Site 'alpha': languages must be a list such as [en, nl]", ""),
        ("[en, nl]", "[]", 9, "Site 'alpha': languages must be a list such as [en, nl]", ""),
        ("[en, nl]", "[en, nl, en]", 9, "Site 'alpha' lists language 'en' twice", "keep one"),
        ("[en, nl]", "[en, xx]", 9, "Site 'alpha': unknown language code 'xx'", "use one of: "),
        ("[en, nl]", "[en, 12]", 9, "Site 'alpha': unknown language code 12", "use one of: "),
        ("[privacy, terms]", "privacy", 10, "Site 'alpha': policies must be a list such as [privacy]", ""),
        ("[privacy, terms]", "[privacy, terms, privacy]", 10, "Site 'alpha' lists policy 'privacy' twice", "keep one"),
        (
            "[privacy, terms]",
            "[privacy, Terms]",
            10,
            "Site 'alpha': policy id 'Terms' is not a plain name",
            "use lowercase letters, digits and '-'",
        ),
        (
            "[privacy, terms]",
            "[privacy, changelog]",
            10,
            "Site 'alpha': policy id 'changelog' is a name the output uses for its own pages",
            "rename the policy's folder and id",
        ),
        (
            "[privacy, terms]",
            f"[{'p' * (MAX_ID + 1)}]",
            10,
            f"Site 'alpha': policy id {'p' * 20!r}… is {MAX_ID + 1} characters long",
            f"use at most {MAX_ID}: it names the policy's folder and address",
        ),
        (
            "name: Alpha Example",
            "name: ' '",
            5,
            "Site 'alpha': name must be one line of text",
            "write e.g. name: Example.com",
        ),
        (
            "name: Alpha Example",
            "name: [A]",
            5,
            "Site 'alpha': name must be one line of text",
            "write e.g. name: Example.com",
        ),
    ],
)
def test_each_wrong_site_entry_is_named_at_its_line(old: str, new: str, line: int, message: str, hint: str) -> None:
    problem = one(sites_yml(sites=ALPHA.replace(old, new)))
    assert (problem.line, problem.message) == (line, message)
    assert problem.hint.startswith(hint) if hint else problem.hint == ""
    if "use one of" in hint:
        assert "en, nl" in problem.hint
    assert read_publisher(sites_yml(sites=ALPHA.replace("[privacy, terms]", f"[{'p' * MAX_ID}]")), PATH).sites


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("url", "https://alpha.example", "Site 'alpha': url 'https://alpha.example' must end with '/'"),
        (
            "base_url",
            "https://cdn.example/policies",
            "Site 'alpha': base_url 'https://cdn.example/policies' must end with '/'",
        ),
        (
            "url",
            "https://alpha.example/?x=1",
            "Site 'alpha': url 'https://alpha.example/?x=1' is not an https:// address ending in '/', without ? or #",
        ),
        (
            "url",
            "https://alpha.example/a#b",
            "Site 'alpha': url 'https://alpha.example/a#b' is not an https:// address ending in '/', without ? or #",
        ),
        ("url", "12", "Site 'alpha': url 12 (not text) is not an https:// address ending in '/', without ? or #"),
        ("support_url", "/help", "Site 'alpha': support_url '/help' is not an absolute https:// address"),
        (
            "terms_url",
            "javascript:alert(1)",
            "Site 'alpha': terms_url 'javascript:alert(1)' is not an absolute https:// address",
        ),
    ],
)
def test_each_address_is_an_absolute_http_address(key: str, value: str, message: str) -> None:
    entry = "".join(line for line in ALPHA.splitlines(keepends=True) if not line.startswith(f"    {key}:"))
    entry = entry.replace("    url: https://alpha.example/\n", "") + f"    {key}: {value}\n"
    if key != "url":
        entry += "    url: https://alpha.example/\n"
    problem = one(sites_yml(sites=entry))
    assert problem.message == message
    assert problem.line == (9 if key == "support_url" else 10)  # the line of the key
    if message.endswith("must end with '/'"):
        assert problem.hint == f'write {key}: "{value}/" (every page address is made by adding to it)'
    else:
        own = key in ("url", "base_url")
        assert problem.hint == (
            f"write e.g. {key}: https://example.com/{'' if own else 'support'} (percent-encode spaces, "
            "quotes and other characters URLs do not allow)"
        )


def test_a_site_address_may_carry_a_port_a_path_and_escapes() -> None:
    entry = ALPHA.replace("https://alpha.example/\n", "http://alpha.example:8080/legal/%C3%A9/\n")
    [alpha] = read_publisher(sites_yml(sites=entry + "    base_url: https://cdn.example/alpha/\n"), PATH).sites
    assert alpha.url == "http://alpha.example:8080/legal/%C3%A9/"
    assert alpha.base_url == "https://cdn.example/alpha/"


def test_all_problems_of_one_site_are_reported_together() -> None:
    entry = ALPHA.replace("[en, nl]", "[en, en, xx]").replace("[privacy, terms]", "[Privacy]")
    assert [p.message for p in problems(sites_yml(head="timezone: Nowhere\n", sites=entry))] == [
        "unknown timezone 'Nowhere'",
        "Site 'alpha' lists language 'en' twice",
        "Site 'alpha': unknown language code 'xx'",
        "Site 'alpha': policy id 'Privacy' is not a plain name",
    ]


def test_a_value_shown_in_a_message_is_cut_short_only_past_forty_characters() -> None:
    forty = "x" * 38  # its repr, with quotes, is 40 characters
    assert one(sites_yml(head=f"timezone: {forty}\n")).message == f"unknown timezone {forty!r}"
    longer = "x" * 39
    assert one(sites_yml(head=f"timezone: {longer}\n")).message == f"unknown timezone '{'x' * 19}…'"


def test_every_bad_site_id_is_reported() -> None:
    long_id = "a" * (MAX_ID + 1)
    text = sites_yml(sites=f"  {long_id}:\n    name: x\n  Bad:\n    name: x\n  gamma:\n    name: G\n" + ALPHA)
    assert [p.message.split(" is ")[0].split(" lacks")[0] for p in problems(text)] == [
        f"Site id {'a' * 20!r}…",
        "Site id 'Bad'",
        "Site 'gamma'",
    ]


def test_a_sites_yml_that_does_not_load_names_the_file() -> None:
    assert one(b"sites: [\n").path == PATH
    assert one(b"x" * 1_000_001).path == PATH


def test_a_site_lacking_keys_does_not_hide_the_next_bad_site() -> None:
    text = sites_yml(sites="  gamma:\n    name: G\n  Bad:\n    name: x\n" + ALPHA)
    assert [p.message for p in problems(text)] == [
        "Site 'gamma' lacks url, languages, policies",
        "Site id 'Bad' is not a plain name",
    ]
