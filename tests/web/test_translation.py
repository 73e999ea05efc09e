"""Every sentence a page shows goes through the translation catalog, and makemessages finds it.

A pseudo-locale stands in for a real translation: its catalog answers every msgid with the same
text in accented letters ("Claim queue" -> "Ƈŀȧīḿ ɋŭḗŭḗ"), keeping placeholders and markup. Each
main page is rendered under it, as the role that sees it, and any plain ASCII letters left in
its text or its readable attributes are English that no catalog can reach, unless they are the
desk's data (claim texts, names, addresses) or a name that is the same in every language.
"""

import ast
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils import translation
from django.utils.translation import trans_real

from tests.web.pages import build_desk, data_texts, render_pages

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates"
PSEUDO_LANGUAGE = "en-xa"

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ"
_LETTERS = str.maketrans(_PLAIN, _ACCENTED)
# What a translation keeps as it is: printf and format placeholders, tags and entities.
_KEPT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]|\{[^{}]*\}|<[^<>]*>|&#?\w+;")

# Words a page shows that are the same in every language: the product's name (its logo splits
# it in two), the export formats and the time zone's name.
NAMES = re.compile(
    rf"\b(?:factcheck|fact|check|CSV|JSON|ClaimReview|{re.escape(settings.TIME_ZONE)})\b"
)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
# Text that Python builds without marking it for translation, by the module that builds it.
# Marking these is the web layer's part of issue 10: once a module marks its strings, delete
# its entries (test_python_built_exemptions_are_still_needed names those no page shows any
# more). Each pattern matches a whole text as a page shows it.
PYTHON_BUILT: dict[str, list[str]] = {}
_EXEMPT = {
    module: [re.compile(pattern) for pattern in patterns]
    for module, patterns in PYTHON_BUILT.items()
}


def pseudo(message: str) -> str:
    """``message`` with its letters accented, its placeholders and markup untouched."""
    pieces, last = [], 0
    for kept in _KEPT.finditer(message):
        pieces += [message[last : kept.start()].translate(_LETTERS), kept.group()]
        last = kept.end()
    pieces.append(message[last:].translate(_LETTERS))
    return "".join(pieces)


class PseudoTranslation:
    """A catalog for trans_real's cache of translations that answers every msgid with
    ``pseudo``, and remembers which it was asked for."""

    def __init__(self):
        self.asked: set[str] = set()

    def gettext(self, message: str) -> str:
        msgid = message.rpartition(trans_real.CONTEXT_SEPARATOR)[2]  # pgettext's context
        self.asked.add(msgid)
        return pseudo(msgid)

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return self.gettext(singular if number == 1 else plural)

    def language(self) -> str:
        return PSEUDO_LANGUAGE

    def to_language(self) -> str:
        return PSEUDO_LANGUAGE


@pytest.fixture
def pseudo_locale(monkeypatch):
    catalog = PseudoTranslation()
    monkeypatch.setitem(trans_real._translations, PSEUDO_LANGUAGE, catalog)
    translation.activate(PSEUDO_LANGUAGE)
    yield catalog
    translation.deactivate()


class ReadableText(HTMLParser):
    """The text a reader meets on a page: text nodes outside scripts and styles, and the
    attributes that browsers and screen readers show or speak."""

    ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-label")
    BUTTON_INPUTS = ("submit", "button", "reset")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attrs = dict(attrs)
        self.texts += [attrs[name] for name in self.ATTRIBUTES if attrs.get(name)]
        if tag == "input" and attrs.get("type") in self.BUTTON_INPUTS and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def readable_texts(html: str) -> list[str]:
    parser = ReadableText()
    parser.feed(html)
    parser.close()
    return parser.texts


def has_english(text: str, data: list[str]) -> bool:
    """Whether ``text`` holds ASCII letters once the data and the names are taken out."""
    for value in data:
        text = text.replace(value, " ")
    return bool(re.search("[A-Za-z]", NAMES.sub(" ", text)))


def exemption(text: str) -> str | None:
    """The module whose Python-built string ``text`` is, if it is a known one."""
    for module, patterns in _EXEMPT.items():
        if any(pattern.fullmatch(text) for pattern in patterns):
            return module
    return None


def english_on_pages(desk) -> dict[str, list[str]]:
    """Per page, the texts still in English under the pseudo-locale."""
    rendered = list(render_pages(desk))
    data = data_texts()  # read after the pages: some of them post, and their rows are data too
    found = {}
    for page, html in rendered:
        typed = {str(value) for value in (page.data or {}).values() if isinstance(value, str)}
        # What the address carries was typed too: the queue shows its search as a filter chip.
        typed.update(value for _name, value in parse_qsl(urlsplit(page.path).query) if value)
        values = sorted(data | typed, key=len, reverse=True)
        texts = dict.fromkeys(t for t in readable_texts(html) if has_english(t, values))
        if texts:
            found[page.name] = list(texts)
    return found


def test_pseudo_translation_keeps_placeholders_and_markup():
    message = "Claimed by <strong>%(claimant)s</strong> on {date}, 100%% &amp; %d more"
    assert pseudo(message) == (
        "Ƈŀȧīḿḗḓ ƀẏ <strong>%(claimant)s</strong> ǿƞ {date}, 100%% &amp; %d ḿǿřḗ"
    )


@pytest.mark.django_db
def test_every_text_on_the_main_pages_goes_through_the_catalog(pseudo_locale):
    english = {}
    for page, texts in english_on_pages(build_desk()).items():
        left = [text for text in texts if exemption(text) is None]
        if left:
            english[page] = left

    assert not english, "English left under the pseudo-locale (mark it for translation):\n" + (
        "\n".join(f"{page}: {texts}" for page, texts in english.items())
    )
    assert "Claim queue" in pseudo_locale.asked  # the pages did ask the catalog


@pytest.mark.django_db
def test_python_built_exemptions_are_still_needed(pseudo_locale):
    texts = {text for page in english_on_pages(build_desk()).values() for text in page}
    stale = [
        f"{module}: {pattern.pattern}"
        for module, patterns in _EXEMPT.items()
        for pattern in patterns
        if not any(pattern.fullmatch(text) for text in texts)
    ]
    assert not stale, "These are translated now: remove them from PYTHON_BUILT:\n" + (
        "\n".join(stale)
    )


# What makemessages collects ---------------------------------------------------------------------


def template_msgids() -> dict[tuple[str, str], str]:
    """(context, msgid) of every translate and blocktranslate tag in the project's templates,
    plural forms included, each with the template it is in."""
    engine = engines["django"].engine
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        nodelist = engine.from_string(path.read_text()).nodelist
        for node in nodelist.get_nodes_by_type(TranslateNode):
            var = node.filter_expression.var
            assert var.literal is not None, (
                f"{name}: {{% translate {var} %}} translates a variable, which makemessages "
                "cannot collect; translate the literal text"
            )
            found[(_context(node), str(var.literal))] = name
        for node in nodelist.get_nodes_by_type(BlockTranslateNode):
            for tokens in filter(None, (node.singular, node.plural)):
                found[(_context(node), node.render_token_list(tokens)[0])] = name
    return found


def _context(node) -> str:
    return str(node.message_context.var) if node.message_context else ""


_PO_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_FIELD = re.compile(rf"^(msgctxt|msgid|msgid_plural) ((?:{_PO_STRING}\n?)+)", re.MULTILINE)


def po_msgids(po: str) -> set[tuple[str, str]]:
    """(context, msgid) of every entry of a .po file, a plural entry's plural form included."""
    found = set()
    for entry in po.split("\n\n"):
        fields = {
            keyword: "".join(ast.literal_eval(piece) for piece in re.findall(_PO_STRING, text))
            for keyword, text in _PO_FIELD.findall(entry)
        }
        context = fields.get("msgctxt", "")
        found |= {(context, fields[key]) for key in ("msgid", "msgid_plural") if fields.get(key)}
    return found


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="no xgettext: install GNU gettext (apt-get install gettext; "
    "python3 dev.py test does so when run as root)",
)
def test_makemessages_collects_every_template_string(tmp_path, monkeypatch, settings):
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    (tmp_path / "locale").mkdir()
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = []  # writes to ./locale, the copy's, not the project's

    call_command("makemessages", locale=["xx"], verbosity=0)

    collected = po_msgids((tmp_path / "locale/xx/LC_MESSAGES/django.po").read_text())
    expected = template_msgids()
    missing = [f"{name}: {key}" for key, name in expected.items() if key not in collected]
    assert not missing, "makemessages missed these template strings:\n" + "\n".join(missing)
    assert ("", "Mark done") in expected  # found inside for, if and with blocks too


def test_templates_build_no_plurals_by_hand():
    """``{{ n }} claim{{ n|pluralize }}`` has no translation; blocktranslate count has."""
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "|pluralize" in path.read_text()
    ]
    assert not offenders
