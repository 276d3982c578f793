"""The Markdown dialect: exact HTML for each feature markdown.py configures."""

from __future__ import annotations

from glossary.markdown import anchor_key, heading_ids, make_markdown, render


def html(source: str, allow_html: bool = False) -> tuple[str, list[str]]:
    md = make_markdown(allow_html)
    env: dict[str, object] = {}
    tokens = md.parse(source, env)
    heading_ids(tokens, ("definition",))
    out = render(md, tokens, env)
    return out, list(env["escaped_tags"])  # type: ignore[arg-type]


def test_github_alert_is_a_labelled_note() -> None:
    assert html("> [!WARNING]\n> Be careful.\n")[0] == (
        '<div class="markdown-alert markdown-alert-warning" role="note">\n'
        '<p class="markdown-alert-title">Warning</p>\n<p>Be careful.</p>\n</div>\n')


def test_definition_list_footnote_strikethrough() -> None:
    assert html("Term\n: A definition.\n")[0] == "<dl>\n<dt>Term</dt>\n<dd>A definition.</dd>\n</dl>\n"
    assert html("Old ~~text~~ here[^1].\n\n[^1]: The note.\n")[0] == (
        '<p>Old <s>text</s> here<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>.</p>\n'
        '<hr class="footnotes-sep">\n<section class="footnotes" aria-label="Footnotes">\n'
        '<ol class="footnotes-list">\n<li id="fn1" class="footnote-item"><p>The note. '
        '<a href="#fnref1" class="footnote-backref" aria-label="Back to the text">↩︎</a></p>\n</li>\n</ol>\n'
        '</section>\n')


def test_task_list_checkboxes_say_their_state() -> None:
    assert html("- [ ] todo\n- [x] done\n")[0] == (
        '<ul class="contains-task-list">\n'
        '<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled="" '
        'aria-label="not done"> todo</li>\n'
        '<li class="task-list-item"><input class="task-list-item-checkbox" type="checkbox" disabled="" '
        'checked="" aria-label="done"> done</li>\n</ul>\n')


def test_table_alignment_is_a_class_not_a_style() -> None:
    assert html("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")[0] == (
        '<table tabindex="0">\n<thead>\n<tr>\n<th class="align-left">a</th>\n<th class="align-center">b</th>\n'
        '<th class="align-right">c</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td class="align-left">1</td>\n'
        '<td class="align-center">2</td>\n<td class="align-right">3</td>\n</tr>\n</tbody>\n</table>\n')


def test_code_is_highlighted_with_classes_and_focusable() -> None:
    assert html("```python\nreturn 1\n```\n")[0] == (
        '<pre class="highlight" tabindex="0" role="group" aria-label="Code example (python)">'
        '<code class="language-python"><span class="hl-k">return</span> '
        '<span class="hl-mi">1</span>\n</code></pre>\n')
    assert html("    plain <code>\n")[0] == (
        '<pre class="highlight" tabindex="0" role="group" aria-label="Code example"><code>plain &lt;code&gt;\n'
        "</code></pre>\n")
    assert html("```nosuchlanguage\na < b\n```\n")[0] == (
        '<pre class="highlight" tabindex="0" role="group" aria-label="Code example (nosuchlanguage)">'
        '<code class="language-nosuchlanguage">a &lt; b\n</code></pre>\n')


def test_safe_inline_html_kept_and_cleaned_the_rest_shown_as_text() -> None:
    out, escaped = html('Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, <abbr title="Domain" onclick="x()">DNS</abbr>'
                        '<!-- hidden --> <script>alert(1)</script>\n')
    assert out == ('<p>Press <kbd>Ctrl</kbd>, H<sub>2</sub>O, <abbr title="Domain">DNS</abbr> '
                   "&lt;script&gt;alert(1)&lt;/script&gt;</p>\n")
    assert escaped == ["script", "script"]


def test_details_block_kept_comments_dropped_other_blocks_shown_as_text() -> None:
    out, escaped = html('<details>\n<summary>More</summary>\nText\n</details>\n\n<!-- note -->\n\n'
                        '<div onclick="x()">raw</div>\n')
    assert out == ('<details>\n<summary>More</summary>\nText\n</details>\n'
                   '<p>&lt;div onclick="x()"&gt;raw&lt;/div&gt;</p>\n')
    assert escaped == ["div", "div"]


def test_no_autolink_span_is_kept_other_spans_are_text() -> None:
    out, escaped = html('<span class="no-autolink">key</span> <span class=x>y</span>\n')
    assert out == '<p><span class="no-autolink">key</span> &lt;span class=x&gt;y&lt;/span&gt;</p>\n'
    assert escaped == ["span", "span"]


def test_allow_html_lets_raw_html_through_but_not_comments() -> None:
    assert html('<div class="x">raw</div>\n\nA <b>bold</b><!-- no --> word.\n', allow_html=True) == (
        '<div class="x">raw</div>\n<p>A <b>bold</b> word.</p>\n', [])


def test_heading_ids_unique_and_never_reserved() -> None:
    out, _ = html("## Definition\n\n## See also\n\n## See also\n\n## The max_age setting\n")
    assert out == ('<h2 id="definition-2">Definition</h2>\n<h2 id="see-also">See also</h2>\n'
                   '<h2 id="see-also-2">See also</h2>\n<h2 id="the-max-age-setting">The max_age setting</h2>\n')


def test_anchor_key_makes_underscores_and_hyphens_equal() -> None:
    assert anchor_key("The-max_age-setting") == anchor_key("the-max-age-setting") == "the-max-age-setting"


def test_the_style_sheet_holds_the_code_colours_of_both_pygments_styles() -> None:
    """static/style.css carries the token colours markdown.pygments_css writes for the light and the dark
    style; after a Pygments upgrade that changes them, write them again with that function."""
    from glossary.markdown import CODE_STYLES, pygments_css
    from glossary.theme import builtin

    css = {line.strip() for line in builtin("static").joinpath("style.css").read_text(encoding="utf-8").splitlines()}
    for style in CODE_STYLES.values():
        rules = [line.strip() for line in pygments_css(style).splitlines()]
        assert len(rules) > 50 and [r for r in rules if r not in css] == [], style
