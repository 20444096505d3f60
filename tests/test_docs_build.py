"""
The Sphinx documentation builds with warnings as errors, and its pages render their
mathematics offline: MathJax is a file of the build, never fetched from a CDN.
"""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT_SOURCE = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", re.IGNORECASE)
REMOTE_MATHJAX = re.compile(r"(?:https?:)?//[^\"'\s]*mathjax", re.IGNORECASE)


@pytest.fixture(scope="module")
def html(tmp_path_factory):
    """Build the documentation once; return the folder of the HTML pages."""
    out = tmp_path_factory.mktemp("docs") / "html"
    command = [sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-b", "html",
               "doc", str(out)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def test_documentation_builds_without_warnings(html):
    assert (html / "index.html").exists()


def test_every_page_with_mathematics_loads_a_local_mathjax(html):
    pages_with_math = [page for page in sorted(html.glob("*.html"))
                       if 'class="math' in page.read_text(encoding="utf-8")]
    assert len(pages_with_math) >= 5, [page.name for page in pages_with_math]
    for page in pages_with_math:
        text = page.read_text(encoding="utf-8")
        sources = [src for src in SCRIPT_SOURCE.findall(text) if "mathjax" in src.lower()]
        assert len(sources) == 1, (page.name, sources)
        assert (page.parent / sources[0]).is_file(), (page.name, sources[0])
    for page in sorted(html.glob("**/*.html")):
        remote = REMOTE_MATHJAX.findall(page.read_text(encoding="utf-8"))
        assert not remote, (page.name, remote)
