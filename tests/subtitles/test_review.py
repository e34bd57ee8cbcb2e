"""The review page in a real browser (Debian's chromium through selenium): a click on a
finding or a word seeks the player there; keys walk the findings; filters hide; the page is
one file that needs no network; a finding to check is shown apart. And the audit's output in a
pipe: one line a finding.

Outside CI the browser tests skip when no browser is installed; with CI=true they fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from ..helpers import FIXTURES

model = pytest.mark.model  # the tests that run the Whisper model

REAL = FIXTURES / "real"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and DRIVER):
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium or chromedriver is missing: .ci/run installs them with apt-get")
        pytest.skip("no chromium/chromedriver here (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio",
                 "--autoplay-policy=no-user-gesture-required", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def sonnet_page(tmp_path_factory):
    from aligner.auditing.run import audit

    report = audit(REAL / "sonnet003.mp3", REAL / "sonnet003.defects.srt")
    page = tmp_path_factory.mktemp("review") / "sonnet003.html"
    report.save(page)
    return report, page


def _open(driver, page):
    driver.get(page.as_uri())
    deadline = time.time() + 20
    while driver.execute_script("return document.getElementById('player').readyState") < 1:
        assert time.time() < deadline, "the player never loaded the media next to the page"
        time.sleep(0.1)


def _current(driver) -> float:
    return driver.execute_script("return document.getElementById('player').currentTime")


def _wait_near(driver, target: float, tolerance: float = 0.6) -> float:
    """The player's time once it is near ``target``, or after 2 s: a seek lands in far less,
    and playing from elsewhere could not get there by itself so soon (targets are >= 3 s in)."""
    assert target >= 3.0
    deadline = time.time() + 2
    while time.time() < deadline:
        t = _current(driver)
        if abs(t - target) < tolerance:
            return t
        time.sleep(0.05)
    return _current(driver)


@model
def test_clicking_a_finding_plays_it(browser, sonnet_page):
    from selenium.webdriver.common.by import By

    report, page = sonnet_page
    _open(browser, page)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.finding")
    errors = [f for f in report.findings if f.kind != "style"]
    assert len(rows) == len(report.findings) and errors
    shown = [r for r in rows if r.is_displayed()]  # style warnings start hidden
    assert len(shown) == len(errors) and all(r.get_attribute("data-kind") != "style" for r in shown)
    row = shown[-1]
    start = float(row.get_attribute("data-start"))
    assert start > 5  # a finding well into the clip, so a seek is visible
    row.click()
    assert abs(_wait_near(browser, start) - start) < 0.6
    assert "current" in row.get_attribute("class")
    browser.save_screenshot(str(page.with_suffix(".png")))


@model
def test_keys_walk_the_findings_and_filters_hide(browser, sonnet_page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    report, page = sonnet_page
    _open(browser, page)
    body = browser.find_element(By.TAG_NAME, "body")
    starts = [float(r.get_attribute("data-start")) for r in browser.find_elements(By.CSS_SELECTOR, "tr.finding")
              if r.is_displayed()]
    k = next(i for i in range(len(starts) - 1) if starts[i] >= 3 and starts[i + 1] - starts[i] > 3)
    body.send_keys("n" * (k + 1))  # to finding k
    assert abs(_wait_near(browser, starts[k]) - starts[k]) < 0.6
    body.send_keys("n")
    assert abs(_wait_near(browser, starts[k + 1]) - starts[k + 1]) < 0.6
    body.send_keys("p")
    assert abs(_wait_near(browser, starts[k]) - starts[k]) < 0.6
    body.send_keys(Keys.SPACE)  # pause, so the filters are checked on a still page
    kind = next(f.kind for f in report.findings if f.kind != "style")
    browser.find_element(By.CSS_SELECTOR, f'input.filter[data-kind="{kind}"]').click()
    hidden = {r.get_attribute("data-kind") for r in browser.find_elements(By.CSS_SELECTOR, "tr.finding")
              if not r.is_displayed()}
    assert hidden == {kind, "style"}
    browser.find_element(By.CSS_SELECTOR, 'input.filter[data-kind="style"]').click()  # asked for: shown
    hidden = {r.get_attribute("data-kind") for r in browser.find_elements(By.CSS_SELECTOR, "tr.finding")
              if not r.is_displayed()}
    assert hidden == {kind}


@model
def test_the_page_is_one_file_with_the_subtitles_inside(sonnet_page):
    _, page = sonnet_page
    html = page.read_text(encoding="utf-8")
    assert "<track" in html and "data:text/vtt" in html and "data-start" in html
    assert "http://" not in html and "https://" not in html  # nothing from the network
    assert 'src="../' not in html or "sonnet003.mp3" in html


@model
def test_align_page_plays_each_word(browser, tmp_path):
    from selenium.webdriver.common.by import By

    page = tmp_path / "jfk.html"
    proc = subprocess.run([sys.executable, "-m", "aligner", "align", str(REAL / "jfk.flac"), str(REAL / "jfk.srt"),
                           "-o", str(page), "-q"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    _open(browser, page)
    words = browser.find_elements(By.CSS_SELECTOR, "span.w")
    assert len(words) >= 20  # "And so, my fellow Americans, ask not ..."
    word = next(w for w in words if w.text.strip(",.").lower() == "country")
    start = float(word.get_attribute("data-start"))
    word.click()
    assert abs(_wait_near(browser, start, 0.4) - start) < 0.4


@model
def test_piped_audit_prints_a_line_a_finding(tmp_path):
    report = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "aligner", "audit", str(REAL / "sonnet003.mp3"),
                           str(REAL / "sonnet003.defects.srt"), "-q", "--report", str(report)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    listed = [ln for ln in lines if ln.startswith("cue ")]
    assert listed and all(ln.split()[4] in ("error", "check", "warning") for ln in listed)
    assert not any(ch in proc.stdout for ch in "│┃━─")  # no table in a pipe
    assert lines[-1] == f"wrote {report}" and lines[-2].startswith("ERRORS:")
    errors = [ln for ln in listed if "  error  " in ln]
    import json

    data = json.loads(report.read_text(encoding="utf-8"))  # the report beside the lines: the same errors
    assert len([f for f in data["findings"] if f["severity"] == "error"]) == len(errors)


def test_a_finding_to_check_is_shown_apart(browser, tmp_path):
    """A report made by hand (no model): the check has its own colour, chip and filter box, and
    the verdict counts it without calling the file wrong."""
    from selenium.webdriver.common.by import By

    from ..reports.sample import CHECK, ERROR, WARNING, report

    page = report(ERROR, CHECK, WARNING).save(tmp_path / "review.html")
    _open(browser, page)
    assert browser.find_element(By.TAG_NAME, "h1").text.endswith("errors found, 1 to check")
    assert browser.find_element(By.CSS_SELECTOR, ".summary span.check").text == "text_mismatch: 1 to check"
    row = browser.find_element(By.CSS_SELECTOR, 'tr.finding[data-severity="check"]')
    cell = row.find_element(By.CSS_SELECTOR, "td.sev-check")
    error = browser.find_element(By.CSS_SELECTOR, 'tr.finding[data-severity="error"] td.sev-error')
    assert cell.text == "check" and cell.value_of_css_property("color") != error.value_of_css_property("color")
    marks = {m.get_attribute("data-severity"): m.value_of_css_property("background-color")
             for m in browser.find_elements(By.CSS_SELECTOR, ".finding-mark")}
    assert len(set(marks.values())) == 3  # error, check and warning each in its own colour
    boxes = browser.find_elements(By.CSS_SELECTOR, "input.filter[data-severity]")
    assert [b.get_attribute("data-severity") for b in boxes] == ["error", "check", "warning"]
    boxes[1].click()  # hide the checks
    assert not row.is_displayed() and error.is_displayed()
    boxes[1].click()
    assert row.is_displayed()


def test_media_is_found_from_the_page_even_with_spaces_in_the_path(tmp_path):
    from urllib.request import url2pathname

    from aligner.subtitles.review import media_source

    clip = tmp_path / "my clips" / "night news.mp4"
    src, _, video = media_source(clip, tmp_path / "pages" / "review.html")
    assert video and src == "../my%20clips/night%20news.mp4"  # quoted once, relative to the page
    src, _, _ = media_source(clip, None)
    assert url2pathname(src.removeprefix("file://")) == str(clip.resolve())


def test_the_align_page_draws_each_shot_change_and_a_click_plays_from_it(browser, tmp_path):
    """An alignment's page (made without the model: cues of the shot fixture, its cuts) has a
    line a cut on its timeline, each a click away from playing the clip from that cut."""
    import shutil as sh

    from selenium.webdriver.common.by import By

    from aligner.pipeline import Alignment
    from aligner.runtime.shots import read_shot_changes
    from aligner.subtitles.cues import Cue, TimedWord

    clip = FIXTURES / "shots" / "interview_cuts.mp4"
    cuts = read_shot_changes(clip.with_suffix(".shotchanges"), 25.0)
    sh.copy(clip, tmp_path / clip.name)
    words = tuple(TimedWord(k, "word", 2.5 + 4 * k, 5.0 + 4 * k, True, 0.9, k, "Host") for k in range(5))
    cues = tuple(Cue(k + 1, w.start, w.end + 0.3, "Host", ("word",), (w,)) for k, w in enumerate(words))
    alignment = Alignment(str(tmp_path / clip.name), None, "en", "en", "base", 25.44, 25.0, words, cues, (), (), (),
                          shot_changes=cuts)
    page = alignment.save(tmp_path / "cuts.html")
    _open(browser, page)
    lines = browser.find_elements(By.CSS_SELECTOR, "div.shot")
    assert [round(float(x.get_attribute("data-start")), 2) for x in lines] == [round(t, 2) for t in cuts]
    target = next(x for x in lines if float(x.get_attribute("data-start")) > 10)  # the cut at 10.40
    browser.execute_script("arguments[0].click()", target)  # a 1-pixel line, clicked as a user's pointer would
    assert abs(_wait_near(browser, 10.4, 0.3) - 10.4) < 0.3
