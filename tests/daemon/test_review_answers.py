"""Review fixes in how answers become facts: step numbers inside longer option texts, Drive links of a
signed-in account's ``/u/N/`` shape."""

from __future__ import annotations

from typing import Any

import pytest

from daemon.settings import Settings, load_settings
from daemon.store.models import LinkKind
from daemon.sync.links import extract_links
from daemon.sync.normalize import index_questions, indicator_names, normalize_response
from scoring.flags import FlagCode
from tests.daemon.sync_world import CONFIG, DATA, FORM_ID, form_json, response

FILE_ID = "1AbCdEfGhIjKlMnOpQrStUvWxYz"


@pytest.fixture(scope="module")
def cfg(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("cfg")
    (tmp / "rubric.toml").write_bytes((DATA / "rubric.toml").read_bytes())
    (tmp / "kpisync.toml").write_text(CONFIG, encoding="utf-8")
    return load_settings(tmp / "kpisync.toml", env={})


def run(cfg: Settings, resp: dict[str, Any]) -> Any:
    questions = index_questions(form_json())
    return normalize_response(resp, FORM_ID, questions, cfg.forms[0], indicator_names(cfg))


def test_step_number_is_the_first_number_of_the_option(cfg: Settings) -> None:
    """A step option naming a percentage or a year counts as the step it starts with, not a glued number."""
    steps = ("ขั้นที่ 1 จัดทำแผน ปี 2569", "ขั้นที่ ๒ ดำเนินการได้ร้อยละ 50", "ขั้นที่ 3 (3 ครั้ง)")
    n = run(cfg, response("r1", "a@b.th", "DMIS 100%", steps=steps))
    assert n.steps == (1, 2, 3)
    assert FlagCode.UNPARSEABLE not in {f.code for f in n.flags}


def test_step_option_without_a_number_is_a_flag(cfg: Settings) -> None:
    """An "other" checkbox answer with no number is still an unparseable flag, not a step."""
    n = run(cfg, response("r1", "a@b.th", "DMIS 100%", steps=("ทำครบทุกขั้น",)))
    assert n.steps == ()
    assert any(f.code is FlagCode.UNPARSEABLE and "ทำครบทุกขั้น" in f.detail for f in n.flags)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (f"https://docs.google.com/document/u/0/d/{FILE_ID}/edit", LinkKind.DRIVE_FILE),
        (f"https://docs.google.com/spreadsheets/u/1/d/{FILE_ID}/edit#gid=0", LinkKind.DRIVE_FILE),
        (f"https://drive.google.com/file/u/2/d/{FILE_ID}/view?usp=sharing", LinkKind.DRIVE_FILE),
        (f"https://docs.google.com/presentation/u/0/d/{FILE_ID}/edit", LinkKind.DRIVE_FILE),
    ],
)
def test_signed_in_account_links_name_their_file(url: str, kind: LinkKind) -> None:
    """Links copied while several Google accounts are signed in (``/u/N/``) still give the Drive file id."""
    [link] = extract_links(f"หลักฐาน {url} ครับ")
    assert (link.kind, link.file_id) == (kind, FILE_ID)


@pytest.mark.parametrize("text", ["คลิปสอน youtube.com/watch?v=dQw4w9WgXcQ", "youtube.com/shorts/dQw4w9WgXcQ"])
def test_youtube_link_without_scheme_is_a_video_link(text: str) -> None:
    """A YouTube address typed without https:// or www. is still a YouTube link, like a bare Drive address."""
    [link] = extract_links(text)
    assert link.kind is LinkKind.YOUTUBE
    assert link.original.startswith("youtube.com/")


@pytest.mark.parametrize("alias", ["ตัวชี้วัด  DMIS", " ตัวชี้วัด DMIS ", "ตัวชี้วัด dmis"])
def test_alias_copied_with_the_options_spacing_matches(cfg: Settings, alias: str) -> None:
    """An alias matches the answer however its spaces or Latin letter case differ, as indicator names do."""
    form = cfg.forms[0].model_copy(update={"indicator_aliases": {alias: "ALL-1"}})
    questions = index_questions(form_json())
    resp = response("r1", "a@b.th", "ตัวชี้วัด  DMIS")
    n = normalize_response(resp, FORM_ID, questions, form, indicator_names(cfg))
    assert n.indicator_code == "ALL-1"
    assert n.flags == ()
