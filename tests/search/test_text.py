"""Segmentation, pinyin and highlighting: the rules every backend relies on."""
from search import text


def test_title_terms_have_words_and_single_characters():
    terms = text.title_terms("牛羊养殖技术（初级）").split()
    assert {"牛羊", "养殖", "技术", "初级", "牛", "羊"} <= set(terms)
    assert "（" not in "".join(terms)


def test_pinyin_terms_cover_full_syllables_and_initials():
    terms = set(text.pinyin_terms("牛羊养殖").split())
    assert {"niu", "yang", "zhi", "niuyang", "yangzhi", "ny", "yz", "niuyangyangzhi", "nyyz"} <= terms


def test_query_latin_words_match_as_prefixes_and_chinese_words_offer_sub_words():
    clauses = text.parse_query("养殖技术 Excel")
    assert [c.text for c in clauses] == ["养殖", "技术", "excel"]
    assert clauses[-1].prefix and not clauses[0].prefix
    assert ("养", "殖") in clauses[0].alternatives


def test_query_drops_punctuation_and_limits_length_and_clauses():
    assert text.parse_query("！！！   ") == []
    assert len(text.parse_query(" ".join(f"word{i}" for i in range(40)))) == text.MAX_CLAUSES


def test_highlight_escapes_html_and_marks_pinyin_matches():
    html = text.highlight("牛羊养殖<script>", text.parse_query("niu"))
    assert html.startswith("<mark>牛羊</mark>养殖")
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_snippet_is_a_window_around_the_first_match():
    body = "前言" * 200 + "肉牛养殖要点" + "结尾" * 200
    snippet = text.snippet(body, text.parse_query("养殖"), length=60)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>养殖</mark>" in snippet
