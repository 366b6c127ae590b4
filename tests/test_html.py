"""The HTML page: self-contained, and comment text never becomes markup."""

from __future__ import annotations

import re

from conftest import build_text

HOSTILE = ("I agree <script>alert('x')</script> and <img src=x onerror=alert(1)> with "
           "<a href=\"javascript:alert(2)\">this</a>. The word href alone. Name \"Q\\\\uote\" O'Brien.\n\n"
           "Thanks! </script><script>alert(3)</script> ]]> <!-- end")


def test_no_external_script_or_stylesheet(tmp_path, sample_kg):
    html = sample_kg.write_html(tmp_path / "g.html").read_text(encoding="utf-8")
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
        assert "http://" not in tag and "https://" not in tag, tag
    assert "cdn" not in " ".join(re.findall(r"<(?:script|link)\b[^>]*>", html)).lower()


def test_hostile_comment_text_is_only_data(tmp_path):
    kg = build_text(tmp_path, HOSTILE)
    html = kg.write_html(tmp_path / "g.html").read_text(encoding="utf-8")
    data = html.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data  # nothing in the data block can open or close a tag
    assert "alert(3)" in data  # the text is there, as escaped JSON
    benign = build_text(tmp_path, "I agree, thanks.").write_html(tmp_path / "b.html").read_text(encoding="utf-8")
    assert html.count("<script") == benign.count("<script")  # nothing injected
