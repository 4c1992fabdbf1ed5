"""The built site, opened from file:// in headless Chromium with the network refused, works offline:
math is typeset, search finds the right page, a collapsed answer opens, no JavaScript error, and no
page asks another host for anything.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and ``selenium``;
without them the test is skipped with the reason. It builds the site itself (a few seconds).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import contract

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("Debian's chromium and chromium-driver are not installed (apt-get install chromium "
                "chromium-driver)", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(directory)],
                   cwd=contract.ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return directory


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                     "--allow-file-access-from-files",
                     # the network is refused: every host name fails to resolve, any proxy is dead
                     "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def open_page(browser, site: Path, page: str) -> None:
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get((site / page).as_uri())
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")


def other_host_requests(browser) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("file:", "data:", "blob:", "about:")):
                urls.append(url)
    return urls


def javascript_errors(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def wait_for_math(browser) -> int:
    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return document.querySelectorAll('mjx-container').length") > 0)
    return browser.execute_script("return document.querySelectorAll('mjx-container').length")


def test_every_page_loads_offline_without_errors_or_other_hosts(browser, site):
    problems = []
    for path in sorted(site.rglob("*.html")):
        page = path.relative_to(site).as_posix()
        if page.startswith(("assets/", "search/")) or page == "404.html":
            continue
        open_page(browser, site, page)
        time.sleep(0.3)   # let deferred scripts (search worker, MathJax) start
        problems += [f"{page}: request to {url}" for url in other_host_requests(browser)]
        problems += [f"{page}: {error}" for error in javascript_errors(browser)]
    assert not problems, "\n".join(problems)


def test_math_is_typeset_on_a_chapter_page(browser, site):
    open_page(browser, site, "cnn.html")
    assert wait_for_math(browser) > 10


def test_a_collapsed_answer_opens(browser, site):
    open_page(browser, site, "cnn.html")
    answer = browser.find_element(By.CSS_SELECTOR, "details.answer")
    assert answer.get_attribute("open") is None, "answers start collapsed"
    answer.find_element(By.TAG_NAME, "summary").click()
    assert answer.get_attribute("open") is not None
    assert answer.find_element(By.CSS_SELECTOR, "mjx-container, p, li").is_displayed()


def test_search_finds_the_right_page_offline(browser, site):
    open_page(browser, site, "index.html")
    box = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.CSS_SELECTOR, "input.md-search__input"))
    browser.execute_script("document.querySelector('label.md-search__icon, .md-header__button[for=__search]')"
                           "?.click()")
    WebDriverWait(browser, 20).until(lambda d: box.is_displayed())
    box.send_keys("forget gate")
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item a"))
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".md-search-result__item a")]
    assert any("rnn.html" in link for link in links), links
    assert not javascript_errors(browser)


def test_notebook_page_renders_offline(browser, site):
    open_page(browser, site, "training/cifar10.html")
    assert browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook, .jp-Cell"), "the notebook's cells are shown"
    notebook = json.loads((contract.DOCS / "training" / "cifar10.ipynb").read_text(encoding="utf-8"))
    has_math = any("$" in "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    if has_math:
        assert wait_for_math(browser) > 0
    assert not other_host_requests(browser)



def test_notebook_output_keeps_each_line_whole(browser, site):
    open_page(browser, site, "training/cifar10.html")
    styles = browser.execute_script(
        "const pre = document.querySelector('.jp-OutputArea-output pre');"
        "const s = getComputedStyle(pre); return [s.whiteSpace, s.wordBreak, s.overflowX];")
    assert styles == ["pre", "normal", "auto"], "notebook logs scroll sideways instead of wrapping mid-number"


def test_a_practice_variant_opens_and_shows_its_answer(browser, site):
    open_page(browser, site, "cnn.html")
    box = browser.find_element(By.CSS_SELECTOR, "details.practice")
    assert box.get_attribute("open") is None, "practice boxes start collapsed"
    box.find_element(By.TAG_NAME, "summary").click()
    answer = box.find_element(By.CSS_SELECTOR, "details.answer")
    assert answer.get_attribute("open") is None, "each variant's answer stays hidden until clicked"
    answer.find_element(By.TAG_NAME, "summary").click()
    assert answer.find_element(By.CSS_SELECTOR, "mjx-container, p").is_displayed()


@pytest.mark.parametrize("page", ["rnn.html", "attention.html", "training/cifar10.html"])
def test_a_phone_wide_page_does_not_scroll_sideways(browser, site, page):
    """At 390 px (a phone) only tables, formulas and code blocks may scroll; the page itself may not."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    try:
        open_page(browser, site, page)
        time.sleep(0.5)
        wider = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert wider <= 1, f"{page} is {wider}px wider than the phone's screen"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
