"""Lexical rules of the clutter detector: what one block looks like on its own.

Everything here is pure regex and lexicon logic over a single block's text, so it runs
without spaCy and is easy to test. Context (what sits around a block, what the article
is about) is decided in :mod:`annotator.nlp.clutter`.

Rules are anchored to whole blocks: a scraped menu item, share button or "Related
Articles" header is a block of its own, so requiring the *whole* block to match keeps a
body paragraph that merely mentions "cookies" or "donations" out of harm's way. That is
also why plain regexes are used here rather than spaCy's PhraseMatcher: the patterns are
line-anchored, and the detector must work when no spaCy parse is available. The few
phrase cues that may sit inside a longer block (promotions, cookie notices) are bounded
by block length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

NAVIGATION = "navigation"
CAPTION = "caption"
METADATA = "metadata"
RELATED = "related"
PROMO = "promo"
UNRELATED = "unrelated"
WIDGET = "widget"
LEGAL = "legal"
CONTENT = "content"

# --------------------------------------------------------------------------- normalising

_BULLET = re.compile(r"^[\s\-*•·–—▪●◦►▸‣⁃>]+(?=\S)")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_SENT_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[\"'”’]*$")


def _is_decor(ch: str) -> bool:
    """Emoji, pictographs, arrows and similar symbols that decorate buttons and banners."""
    cat = unicodedata.category(ch)
    if ch in "©®™":
        return False  # copyright signs are what the legal rules look for
    if "\ufe00" <= ch <= "\ufe0f" or ch == "\u20e3":
        return True  # emoji variation selectors and keycaps ("✉️" is two code points)
    return cat in ("So", "Sk", "Cf", "Co") or ch in "→←↑↓↗↘›‹»«|•·▶▷◀◁"


def strip_decor(text: str) -> str:
    """The block's words without bullets, emoji, arrows, odd spaces or repeated blanks."""
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = _BULLET.sub("", text.strip())
    # Decorations at either end ("📤 Share", "Back to top ↑", "🔴 LIVE: ...").
    start, end = 0, len(text)
    while start < end and (_is_decor(text[start]) or text[start].isspace()):
        start += 1
    while end > start and (_is_decor(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    return _SPACE.sub(" ", text[start:end]).strip()


# --------------------------------------------------------------------------- shape


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b(?:{_DAY}\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+{_DAY},?(?:\s+\d{{4}})?|{_DAY}\s+{_MONTH}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2}(?:T[\d:]+Z?)?)\b",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.))?|\b\d{1,2}\s*(?:am|pm)\b",
                   re.IGNORECASE)
_AGO = re.compile(
    r"\b(?:\d+|an?|one|few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|months?)"
    r"\s+ago\b|\b(?:just now|yesterday|today)\b",
    re.IGNORECASE,
)
_READ_TIME = re.compile(
    r"\b(?:reading time\s*:?\s*)?\d+\s*(?:-\s*\d+\s*)?(?:min(?:ute)?s?|mins?)\.?(?:\s+(?:read|reading|"
    r"listen))?\b",
    re.IGNORECASE,
)
_META_WORDS = frozenset(
    """published publish updated update posted last modified first created date on at am pm
    gmt utc bst gst est edt cet cest eet ist pst pdt cst cdt et pt ast ast msk wat sast aest
    read reading time min mins minute minutes and by monday tuesday wednesday thursday friday
    saturday sunday mon tue tues wed thu thur thurs fri sat sun originally""".split()
)
# A dateline opens a story ("BAGHDAD:", "PORT SELVAN, March 3 (Meridian) -"): content.
_DATELINE = re.compile(r"^[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){0,3}\s*(?:[,:]|—|–|-\s)")


@dataclass(frozen=True)
class Shape:
    """Surface features of one block, computed once and shared by every rule."""

    raw: str

    @cached_property
    def core(self) -> str:
        return strip_decor(self.raw)

    @cached_property
    def low(self) -> str:
        return self.core.lower()

    @cached_property
    def words(self) -> list[str]:
        return _WORD.findall(self.core)

    @property
    def n_words(self) -> int:
        return len(self.words)

    @cached_property
    def sentence_end(self) -> bool:
        return bool(_SENT_END.search(self.core))

    @cached_property
    def ellipsis(self) -> bool:
        return bool(_ELLIPSIS.search(self.core))

    @cached_property
    def question(self) -> bool:
        return self.core.rstrip("\"'”’ *").endswith("?")

    @cached_property
    def title_like(self) -> bool:
        """A heading, a headline, a menu item: short, no closing full stop, starts upper."""
        c = self.core
        if not c or self.n_words == 0 or self.n_words > 18:
            return False
        if c.endswith((".", ";", ",", ":")) and not c.endswith("..."):
            return False
        first = next((ch for ch in c if ch.isalnum()), "")
        return first.isupper() or first.isdigit() or not first.isascii()

    @cached_property
    def lines(self) -> list[Shape]:
        """The block's lines, each as a shape (a block is mostly a single line)."""
        raw = [ln for ln in self.raw.split("\n") if ln.strip()]
        return [self] if len(raw) <= 1 else [Shape(ln) for ln in raw]

    @property
    def longest_line_words(self) -> int:
        return max(line.n_words for line in self.lines)

    @cached_property
    def titles(self) -> bool:
        """Every line is title-like: a headline, or a list of headlines joined by wrapping."""
        return all(line.title_like for line in self.lines)

    @cached_property
    def dateline(self) -> bool:
        return bool(_DATELINE.match(self.core))

    @cached_property
    def list_item(self) -> bool:
        return bool(_BULLET.match(self.raw.strip())) or bool(re.match(r"^\d{1,2}[.)]\s", self.core))

    @cached_property
    def date_only(self) -> bool:
        """A timestamp line: a date (or "2 hours ago") and nothing but timestamp words."""
        c = self.core
        if self.n_words > 24 or self.dateline:
            return False
        found = _DATE.search(c) or _AGO.search(c)
        if not found:
            return False
        rest = _READ_TIME.sub(" ", _AGO.sub(" ", _TIME.sub(" ", _DATE.sub(" ", c))))
        leftover = [w for w in _WORD.findall(rest) if w.lower() not in _META_WORDS]
        leftover = [w for w in leftover if not w.isdigit() or len(w) != 4]  # bare years
        return len(leftover) == 0

    def solid(self, min_words: int = 15) -> bool:
        """Running prose: enough words and a sentence ending (a teaser's "..." does not count)."""
        return self.n_words >= min_words and self.sentence_end and not self.ellipsis


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that fired on a block: the label it suggests, its name, and its confidence.

    ``header`` marks blocks that open a box (a "Related Articles" header, a poll title):
    the short blocks under them inherit the label. ``weak`` hits may be overridden by
    context (a date line inside a list of related headlines belongs to that list).
    """

    label: str
    rule: str
    score: float
    header: bool = False
    weak: bool = False


def _alts(words: str) -> str:
    return "|".join(w.strip() for w in words.strip().split("\n") if w.strip())


# Sections and kickers used by news sites, lower case. A label made only of these words
# ("Security", "Middle East", "Science & Tech") is a section label or menu item.
_SECTION_TOKENS = frozenset(
    """
news world local national international regional regions region politics business economy
markets market money finance commodities opinion opinions editorial editorials columnists
columns column comment comments analysis features feature sport sports football soccer cricket
rugby tennis golf motorsport formula athletics basketball baseball boxing cycling olympics
health science tech technology environment climate culture arts entertainment lifestyle life
style travel food drink books music film films tv television media video videos photos photo
pictures podcasts podcast audio weather education property motoring cars jobs classifieds
obituaries events community city metro gulf uae mena africa asia europe americas us uk
australia middle east latest breaking top stories home homepage more security defence defense
crime courts justice law society religion faith fashion beauty wellness royals celebrity
investigations investigation explainer explainers interview interviews review reviews letters
blogs blog live depth in-depth long read reads fact check fact-check global south west north
u.s. n.y. real estate today's paper e-paper epaper print edition magazine topics tags
""".split()
)
_SECTION_GLUE = frozenset({"&", "and", "the", "in", "of"})

LANGUAGES = frozenset(
    """english arabic french français francais español espanol spanish deutsch german
    italiano italian português portugues portuguese русский russian türkçe turkish urdu
    hindi bengali bangla persian farsi kurdish hebrew chinese 中文 日本語 japanese 한국어 korean
    bahasa indonesian malay swahili amharic somali hausa pashto dari tamil العربية عربي
    اردو فارسی کوردی עברית हिन्दी বাংলা""".split()
)
_LANG_CODES = frozenset("en ar fr es de it pt ru tr ur hi fa ku he zh ja ko id ms sw".split())

# Whole-block patterns (matched against the decoration-free, lower-cased block).
_NAV_LINE = re.compile(
    "^(?:" + _alts(r"""
skip to (?:main )?(?:content|navigation|search|footer|main)
skip navigation
jump to (?:content|navigation|main content)
(?:back|go|return|scroll) to (?:the )?top
top
menu
main menu
open menu
close menu
toggle navigation
navigation
search
search for
close
sections
all sections
home
homepage
sign in(?: \| register| / register| or register)?
log ?in(?: \| register| / register| or register)?
register
my account
account
(?:[\w']+ )?edition(?:\s*:\s*[\w ]{1,20})?
choose (?:your )?edition
select language
language
change language
show more
watch live
load more
continue reading the main story
page \d+(?: of \d+)?
(?:\d+ ){1,9}\d+
(?:next|previous) page
loading
please wait
see all
view all
more
next
previous
""") + r")$"
)
_NAV_LIVE = re.compile(
    r"^(?:live(?: updates?| blog| coverage| news| now| report)?|breaking(?: news)?|just in|developing"
    r"(?: story)?|latest(?: updates?)?)\s*[:|\-–—]\s*\S"
)
_NAV_NEXT = re.compile(
    r"^(?:next|previous|prev|older|newer|up next)(?: (?:article|story|post|page|item))?\s*"
    r"(?:[:|\-–—]|$)"
)
_NAV_TAGS = re.compile(
    r"^(?:tags?|topics?|related topics|related tags|filed under|categories|category|keywords|"
    r"more on|explore)\s*:\s*\S"
)
_CRUMB_SEP = re.compile(r"\s+(?:›|>|»|/|→|\\|::)\s+")

_REL_HEADER = re.compile(
    "^(?:" + _alts(r"""
related(?: articles?| stories| story| content| coverage| news| posts?| reading| links| items| videos?)?
read (?:more|also|next)
also read
more to read
see also
more (?:stories|news|articles|headlines|coverage|videos|to explore)
more (?:from|on|in|about|by) .{1,50}
more like this
also (?:on|in) .{1,40}
most (?:popular|read|viewed|shared|commented|watched|recent)
popular(?: now| stories| articles| on .{1,30})?
trending(?: now| stories| news| topics| articles)?
recommended(?: for you| stories| articles| reading| videos)?
(?:you|we think you) (?:may|might|will|could) (?:also )?(?:like|enjoy|be interested in)
(?:editors?|editor's|editors’|editor’s) (?:picks?|choice)
top (?:stories|news|picks|headlines)
latest(?: news| stories| articles| headlines| videos| posts)?
(?:the )?latest on .{1,40}
don'?t miss(?: this)?
don’t miss(?: this)?
what to read next
further reading
in (?:other|related) news
in case you missed it
recent (?:posts|stories|articles|news)
more headlines
(?:other|more|similar|related|recommended|popular|top|latest|recent|suggested) (?:stories|articles|news|reads|posts|videos|coverage)
stories (?:you|we think you) (?:may|might|will) (?:also )?(?:like|enjoy|have missed)
what (?:else )?we['’]re reading
(?:also |more )?worth (?:reading|a read)
elsewhere(?: on .{1,30})?
keep reading
continue reading
(?:related|more) (?:topics|links)
""") + r")\s*[:.]?$"
)
_TICKER = re.compile(r"^(?:breaking(?: news)?|just in|news ticker|ticker|latest headlines)\s*:?$")
_REL_INLINE = re.compile(
    r"^(?:read more|read also|also read|read next|related|see also|watch|listen|recommended|"
    r"must read|don['’]?t miss|further reading|suggested|more|also|related story|related article|"
    r"watch now|read)\s*[:|\-–—»›]\s*\S"
)

_PROMO_LINE = re.compile(
    "^(?:" + _alts(r"""
advertisement
advertisements?
advert
ad
ads
sponsored(?: content| posts?| stor(?:y|ies)| links?| articles?)?
around the web
from (?:around )?the web
promoted (?:links|stories|content)
(?:ads|recommended|content) by \w+
supported by
skip ad
ad feedback
sponsored by .{1,50}
paid (?:content|post|partnership|promotion)
promoted(?: content| stories| links?)?
partner content
presented by .{1,50}
in partnership with .{1,50}
(?:story|article) continues (?:below|after)(?: this)?(?: advertisement| ad)?
continue reading (?:below|after) .{0,30}
scroll to continue(?: with content| reading)?
advertisement\s*[·\-–—|:]\s*scroll to continue(?: with content| reading)?
donate(?: now| today| here)?
how to donate
ways to give
support us
support our (?:work|journalism|reporting|newsroom)
subscribe(?: now| today| here)?
subscribe to .{1,40}
newsletter
newsletters
sign up(?: now| today| here)?
sign up for .{1,60}
get (?:the|our) .{0,40}newsletter
join (?:now|today|us)
become a (?:member|subscriber|supporter|patron)
download (?:our|the) app
get the app
(?:content|stories|more) from (?:our )?partners
from our partners
newsletter sign-?up
sign-?up
(?:get|receive) (?:breaking )?(?:news )?(?:alerts|notifications)
turn on (?:push )?notifications
enable notifications
(?:try|get) \d+ (?:months?|weeks?) (?:for|free).{0,20}
""") + r")\s*[:.!]?$"
)
# Cues that mark a promotion even inside a sentence; the block must be short and must
# address the reader (the second person or an imperative), see ``_promo_cue``.
_PROMO_CUE = re.compile(
    r"\b(?:donate|subscribe|subscribing|subscription|sign up|signing up|newsletter|"
    r"unsubscribe|support (?:our|independent|quality|local|us|public-interest)\b|"
    r"become a (?:member|subscriber|supporter|patron)|free (?:articles?|trial)|"
    r"unlimited (?:access|articles)|already a (?:subscriber|member)|"
    r"(?:download|get) (?:our|the) (?:free )?app|follow us|join (?:us|our)|"
    r"on (?:whatsapp|telegram|instagram|facebook|twitter|x|tiktok|youtube|google news)\b|"
    r"in your inbox|enter your email|email address|chip in|text (?:give|donate)|"
    r"text the following|(?:book|order|shop|buy) (?:now|today|online)|promo code|"
    r"discount code|% off|special offer|limited (?:time )?offer|from \$\d+|"
    r"sign in to (?:continue|read)|you have read \d|articles? left)"
)
# Promotion labels that title a box whose short items follow ("How to donate").
_PROMO_BOX = re.compile(
    r"^(?:how to (?:donate|give|help|support)|ways to (?:give|support|help)|support us|"
    r"support our |newsletters?$|newsletter sign|sign up for |sponsored|paid |promoted|"
    r"partner |presented by|in partnership|around the web|from (?:around )?the web|"
    r"(?:content|stories|more) from|from our partners|(?:ads|recommended|content) by)"
)
# Cues that are promotions on their own, whoever they address.
_PROMO_STRONG = re.compile(
    r"\b(?:already a (?:subscriber|member)|journalism (?:depends|relies) on|give what you can|"
    r"(?:listen|watch|follow|subscribe) (?:to us )?(?:on|via) (?:spotify|apple podcasts|youtube|"
    r"google podcasts|soundcloud|tiktok|instagram)|gift (?:subscription|this article)|"
    r"(?:first|one|1) month free|free for (?:the first )?\d+ (?:days|weeks|months)|free trial|"
    r"premium\b.{0,60}\b(?:unlimited|subscri|access|month|free)|"
    r"(?:get|download|install) (?:the |our )?(?:[\w'’]+ ){0,3}app\b|app store|google play|"
    r"(?:in|to|into) your inbox|(?:just|only) [$£€]\d|[$£€]\d+(?:\.\d+)? (?:a|per) "
    r"(?:week|month|year)|subscribers? only|subscribe now|you have read \d+|free articles? (?:left|remaining|"
    r"this month)|unlimited (?:digital )?access|sign up for (?:our|free|the (?:newsletter|daily|weekly|morning|evening))|subscribe (?:to|for) "
    r"(?:our|the|unlimited)|(?:daily|weekly|morning|evening|free) newsletter|to our newsletter|"
    r"support (?:independent|quality|local|our) journalism|donate (?:now|today|from|to)|"
    r"become a (?:member|subscriber|supporter|patron)|follow us on|download (?:our|the) app)\b"
)
_READER = re.compile(
    r"\b(?:you|your|you['’]re|us|our|we)\b|^(?:get|join|follow|sign|subscribe|donate|"
    r"download|book|discover|support|help|give|text|enter|try|register|become|shop)\b"
)
_REPORTED = re.compile(
    r"\b(?:said|says|told|according to|added|stated|announced|urged|warned|wrote|asked)\b"
)

_WIDGET_LINE = re.compile(
    "^(?:" + _alts(r"""
(?:\d+\s+)?comments?(?:\s*\(\d+\))?(?:\s+\d+)?
comments? \d+
(?:view|show|hide|read|see|load more|open) (?:all )?(?:\d+ )?comments?
(?:leave|add|post|write|submit) (?:a |your )?(?:comment|reply|response|review)
join the (?:conversation|discussion|debate)
have your say
(?:log|sign) ?in(?: or register)? to (?:post )?(?:comments?|reply|vote|join the conversation)
comment on this (?:article|story|post)
(?:what do you think\??\s*)?(?:let us know|tell us)(?: what you think)? in the comments(?: below| section)?
.{0,30}in the comments(?: below| section)
share your (?:thoughts|views|comments|opinion)
click (?:here )?to (?:share|comment|vote|print|email).{0,40}
(?:rate|rating)(?: this)?(?: article| story)?
listen(?: now)?\s*\(\d+ min(?:ute)?s?\)
re-?captcha
comments are (?:closed|moderated|disabled).{0,120}
cancel reply
reply
submit
send
post
post comment
sort by.{0,20}
newest|oldest|most liked
(?:name|email|e-mail|website|comment|message|your name|your email)\s*\*?
your email address will not be published.{0,80}
required fields are marked.{0,10}
poll
quick poll
reader poll
vote
vote now
voting
(?:view|see|show) results
results
[\d,.]+ votes?
total votes:? [\d,.]+
do you like this (?:article|story|post)\??
did you (?:like|enjoy|find) (?:this|the) (?:article|story|post).{0,30}
was this (?:article|story|page|post|information|helpful|useful).{0,30}
how (?:useful|helpful) (?:was|is) this.{0,30}
rate this (?:article|story|post)
what do you think\??
captcha\s*\*?
(?:i['’]?m|i am) not a robot
(?:please )?verify (?:that )?you(?: are|['’]re) (?:a )?human
(?:please )?(?:enter|type) the (?:code|characters|text|word|letters|numbers)(?: shown| you see| above| below| in the image)*.{0,20}
security code\s*\*?
(?:refresh|reload) (?:the )?(?:image|captcha|code)
(?:type|enter) the (?:characters|text|letters|numbers|code)(?: you see)?(?: in the (?:picture|image|box))?
listen(?: to)?(?: this| the)? (?:article|story)(?:\s*[·\-–—|(]?\s*\d+\s*min(?:ute)?s?\)?)?
listen
play
pause
audio
(?:text|font) size
a\s*a\s*a
a\+?\s*a-?
print(?: this)?(?: article| page| story)?
save(?: article| story| for later| to read later)?
bookmark(?: this)?(?: article)?
gift(?: this)? article
give this article
(?:report an? (?:error|typo|correction|issue|problem)|suggest a correction)
(?:email|e-mail) this(?: article| page| story)?
download pdf
copy link
link copied
copied
view this post on (?:instagram|facebook|tiktok|x|twitter)
(?:a )?post shared by .{1,60}
(?:video player is loading|play video|current time \d.*|duration \d.*|loaded: \d+.*|progress: \d+.*|remaining time.*|this is a modal window|beginning of dialog window.*|end of dialog window|captions settings|(?:captions|subtitles) off|stream type live|seek to live.*|chapters|descriptions off)
[^()]{1,60}\(@\w+\)(?:\s+.{0,40})?
.{0,80}pic\.twitter\.com/\w+.{0,40}
""") + r")$"
)
SHARE_WORDS = frozenset(
    """share shares sharing tweet facebook twitter linkedin whatsapp telegram reddit pinterest
    email e-mail mail print copy link messenger flipboard pocket sms post x this article story
    page on via threads bluesky mastodon tumblr vk line viber wechat weibo pin""".split()
)
_SHARE_STRONG = frozenset(
    "share tweet facebook twitter linkedin whatsapp telegram reddit pinterest messenger "
    "flipboard".split()
)
_REACTIONS = frozenset(
    r.strip().replace(" ", "_")
    for r in """outstanding, important, interesting, useful, not useful, neutral, like, love, sad,
    angry, wow, haha, happy, inspired, inspiring, amused, surprised, informative, thumbs up,
    thumbs down, helpful, not helpful, upset, excited, funny, boring, insightful, shocked,
    scared""".split(",")
)

# Notices that are legal furniture wherever they appear (bounded by block length).
_LEGAL_STRONG = re.compile(
    r"©|\(c\)\s*\d{4}|^copyright\b.*\d{4}|\bcopyright\s*(?:©|\(c\)|\d{4})|\ball rights reserved\b|"
    r"\b(?:we|this (?:site|website)|our (?:site|website)|our partners) (?:and our partners )?"
    r"uses? cookies\b|\bcookies?\b.{0,80}\b(?:accept|consent|browsing|by continuing|"
    r"preferences|improve your experience|best experience|personalis|personaliz)|"
    r"\bviews expressed\b.{0,80}\b(?:author|writer|own|necessarily)\b|"
    r"\bdo(?:es)? not necessarily reflect\b|\bmay not be (?:published|reproduced|broadcast|"
    r"rewritten|redistributed|copied)\b|\b(?:reproduction|republication|redistribution)\b.{0,60}"
    r"\b(?:prohibited|without (?:prior )?(?:written )?(?:permission|consent))\b|"
    r"\bquotes (?:are )?delayed\b|\btrust principles\b|^our standards\s*:|"
    r"\bregistered in (?:england|scotland|wales)\b|\bcompany (?:no|number|registration)\b|"
    r"\bdo not sell (?:or share )?my\b|\b(?:respect|value) your privacy\b|"
    r"\bmanage (?:cookies|cookie settings|preferences|consent)\b|^disclaimer\s*:|"
    r"\breprints? (?:&|and) permissions\b|^republish(?:ing)? this\b|"
    r"\byou agree to (?:our|the) (?:terms|use of cookies|privacy)|\bprotected by recaptcha\b"
)
# Cheap substring test run before _LEGAL_STRONG, whose many branches are slow to scan.
_LEGAL_KEYS = (
    "©", "(c)", "copyright", "rights reserved", "cookie", "views expressed", "necessarily",
    "may not be", "reproduc", "republica", "redistribut", "quotes", "trust principles",
    "our standards", "registered in", "company", "do not sell", "your privacy", "manage",
    "disclaimer", "reprint", "republish", "you agree", "recaptcha",
)
# Link words that are legal only in a short block ("Privacy Policy", "Terms of Use").
_LEGAL_WEAK = re.compile(
    r"\bprivacy (?:policy|notice|statement|settings)\b|\bterms (?:of (?:use|service)|and "
    r"conditions|& conditions)\b|\bcookie (?:policy|settings|preferences)\b|\breprints?\b|"
    r"\bpermissions\b|\bdisclaimer\b|\bcopyright\b"
)
_LEGAL_LINKS = frozenset(
    """privacy policy|privacy notice|privacy|cookie policy|cookies policy|cookie settings|cookies|
    manage cookies|manage preferences|terms of use|terms of service|terms and conditions|
    terms & conditions|terms|accessibility|accessibility statement|contact us|contact|about us|
    about|advertise|advertise with us|careers|sitemap|site map|help|faq|corrections|
    code of conduct|editorial guidelines|complaints|do not sell my personal information|
    accept|accept all|reject all|settings|cookie preferences|imprint|legal|disclaimer"""
    .replace("\n", "").replace("    ", "").split("|")
)

_AGENCIES = (
    r"(?:AFP|Reuters|AP|EPA|EPA-EFE|Getty Images|Getty|Bloomberg|Shutterstock|Xinhua|Anadolu|"
    r"WAM|SPA|PA|PA Wire|dpa|AAP|Alamy|NurPhoto|SOPA Images|Sipa|Zuma|ANI|IANS|PTI)"
)
_NAME = r"(?:[A-Z][\w'’.\-]*|(?:al|el|bin|ibn|abu|de|da|di|del|della|van|von|der|den|le|la|du|dos|das|ter|ten|y)(?:-[A-Z][\w'’.\-]*)?)"
_NAMES = rf"{_NAME}(?:\s+{_NAME}){{0,5}}"
_ROLE = (
    r"(?:reporter|correspondent|writer|editor|columnist|journalist|contributor|analyst|producer|"
    r"photographer|staff|staffer|bureau chief|desk|critic|presenter|commentator)s?"
)
_BYLINE = re.compile(
    rf"^(?i:by|written by|words by|story by|reported by|text by|words|author|authors|reporting)"
    rf"\s*:?\s+{_NAMES}(?:\s*(?:,|and|&|\band\b)\s*{_NAMES})*"
    rf"(?:\s*(?:,|-|–|—|\|)\s*(?:[\w'’]+\s+){{0,4}}(?i:{_ROLE}|in\s+\w+(?:\s+\w+)?))?\s*[|,]?$"
)
_ROLE_LINE = re.compile(
    rf"^(?:{_NAMES}\s*[,|\-–—]\s*)?(?:[A-Z][\w'’&\-]*\s+){{0,4}}(?i:{_ROLE})"
    rf"(?:\s*(?:,|in|at)\s*{_NAMES})?$"
)
NAME_LINE = re.compile(rf"^{_NAME}(?:\s+{_NAME}){{1,4}}$")
_AGENCY_LINE = re.compile(
    r"^(?:staff (?:report|reporter|writer)s?|from our correspondents?|our correspondents?|"
    r"(?:news|web|online|foreign|city) ?desk|agencies|wires|(?:with )?(?:inputs from )?agencies|"
    r"(?:[—\-–]\s*)?(?:with\s+)?(?:the\s+)?(?:afp|reuters|ap|associated press|agence france-presse|dpa|"
    r"xinhua|anadolu|wam|spa|ians|pti|ani|bernama|aap)(?:\s*(?:and|/|,)\s*(?:afp|reuters|ap|"
    r"agencies))*|\((?:with )?(?:inputs|input) from .{1,30}\))$"
)
_WIRE_CREDIT = re.compile(
    r"^\(?(?:(?:with )?(?:additional |further )?reporting|writing|editing|edited|compiled|"
    r"translated|translation|research|graphics|produced|fact-checked|contributing|contributed|"
    r"photos?|photographs?|pictures|images|video|illustrations?|design)\s+by\b.{2,300}$"
)
_PUBLISHED = re.compile(
    r"^(?:first |originally |this article was )?(?:published|posted|printed|appeared|"
    r"updated|last updated|modified)(?: (?:in|on|by|at|first in))?\b"
)
_OUTLET_BYLINE = re.compile(
    rf"^{_NAME}(?:\s+{_NAME}){{1,3}}\s*(?:,|\||-|–|—)\s*(?:the\s+)?(?:{_AGENCIES}|[A-Z]{{2,6}}|"
    rf"(?:[A-Z][\w'’]+\s+){{0,2}}(?:Times|Post|News|Herald|Daily|Journal|Courier|Gazette|"
    rf"Tribune|Telegraph|Guardian|Press|Wire|Agency|Online|Today))$"
)
_ABOUT_AUTHOR = re.compile(r"^(?:about (?:the )?(?:author|writer|authors|contributors?)|"
                           r"author(?:'s)? (?:bio|profile)|more about the author)$")
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|^(?:follow|contact|email|e-mail|reach) (?:the (?:author|writer|"
    r"reporter)|him|her)\b|^(?:email|e-mail|twitter|x)\s*:\s*@?\S+$"
)
_UPDATE_NOTE = re.compile(
    r"^(?:this (?:story|article|post|report) (?:has been|was|is being) (?:updated|amended|"
    r"corrected|changed)|correction\s*:|clarification\s*:|an earlier version of this|"
    r"(?:a version of )?this (?:story|article) (?:first |originally )?(?:appeared|appears|was "
    r"(?:first |originally )?published)|a version of this (?:story|article) appear|"
    r"(?:first|originally) published (?:in|on|by))"
)
BIO = re.compile(
    rf"^{_NAME}(?:\s+{_NAME}){{1,4}}\s+(?:is|was|has been|writes|covers|reports)\b"
)

_CREDIT_TAILS = [
    re.compile(r"\[[^\[\]]{2,80}\]$"),
    re.compile(r"\((?i:photos?|image|picture|photograph|credit|courtesy|file|supplied|video|"
               r"handout|illustration|graphic)\b[^()]{0,80}\)$"),
    re.compile(r"\([^()]{2,60}\s?/\s?[^()]{2,60}\)$"),
    re.compile(r"\b(?i:photo(?:graph)?s?|picture|image|pic|credit|photo credit|illustration)"
               r"\s*(?:by)?\s*:\s*[^.]{2,80}$"),
    re.compile(r"\b(?i:photo|picture|image|photograph)\s+by\s+[A-Z][^.]{2,60}$"),
]
_CREDIT_ONLY = re.compile(
    rf"^\(?(?:(?:photo|image|picture)\s*:?\s*)?{_AGENCIES}(?:\s*(?:/|via)\s*[\w .]{{1,30}})?\)?$"
)
_CAPTION_START = re.compile(
    r"^(?:image|media|video|photo|picture) (?:caption|source|credit)s?\s*[,:]|"
    r"^(?:photo(?:graph)?|picture|image|pic|credit|photo credit|source|illustration|video)s?"
    r"\s*:\s*\S"
)
_CREDIT_NAMED = re.compile(
    rf"[.!?”\"’)]\s+(?:[A-Z][\w.'’\-]*\s+){{0,3}}[A-Z][\w.'’\-]*\s*/\s*{_AGENCIES}\.?$|"
    rf"\b{_AGENCIES}\s+via\s+{_AGENCIES}\.?$"
)
_CREDIT_AGENCY = re.compile(
    r"[.!?”\"’]\s+(?:AFP|Reuters|AP|EPA|EPA-EFE|Getty Images|Getty|Bloomberg|Shutterstock|"
    r"Xinhua|Anadolu|WAM|SPA|PA|PA Wire|dpa|AAP|Alamy|Supplied|File|Handout|Courtesy|"
    r"AFP/Getty Images|Reuters/[\w ]+|AP Photo(?:/[\w .]+)?)\.?$"
)
_CAPTION_CUE = re.compile(
    r"\b(?:is|are|was|were) (?:seen|pictured|shown) (?:here )?in (?:this|a|an) "
    r"(?:\w+ )?(?:photo|picture|image|photograph|handout|screen ?grab)\b|"
    r"\bin this (?:\w+ )?(?:photo|picture|image|photograph|handout)\b|\(pictured(?: \w+)?\)|"
    r"^(?:file (?:photo|picture|image)|handout|pictured|main (?:picture|image|photo))\s*[:\-–—]"
)
_GALLERY = re.compile(
    r"^(?:(?:image|photo|picture|slide|item|gallery)\s*\d+\s*(?:of|/)\s*\d+|\d+\s*(?:of|/)\s*\d+"
    r"(?: (?:images|photos|pictures))?|enlarge(?: this)? image|toggle caption|hide caption|show "
    r"caption|expand(?: image)?|(?:view|open) (?:gallery|image|slideshow)|full ?screen|"
    r"view fullscreen|enlarge|caption|\d+ (?:photos|images|pictures))$"
)
_MEDIA_CAPTION = re.compile(
    r"^(?:video|audio|gallery|in pictures|photos|pictures|watch)\s*:.*\(\d{1,2}:\d{2}\)$|"
    r"^(?:video|audio|(?:photo |picture |image |video )?gallery|slideshow|in pictures|in photos|"
    r"photos|pictures)\s*:\s*\S"
)
# Small print of comment sections, found inside longer blocks.
_WIDGET_PHRASE = re.compile(
    r"\bcommenting (?:platform|system|policy)\b|\bcomment(?:s|ing)? (?:policy|guidelines)\b|"
    r"\bcommunity (?:guidelines|standards) (?:for|when) comment|"
    r"\byour email address will not be published\b|\brequired fields are marked\b|"
    r"\b(?:log|sign) ?in (?:or (?:register|sign up) )?to (?:comment|reply|vote)\b|"
    r"\bcomments? (?:are|have been) (?:closed|moderated|disabled)\b"
)
_POLL = re.compile(r"^(?:poll|quick poll|reader poll|survey|vote|your view|have your say)\s*:\s*\S")
_POLL_OPTION = re.compile(r"^[^\W\d][\w ,'’\-]{0,40}?\s*[:\-–]?\s*\d{1,3}(?:[.,]\d)?\s*%$")
_DURATION = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)?$")

# "Key: value" lines of fact boxes ("Engine: 3.0-litre", "Best Club : Liverpool").
_KV = re.compile(r"^(?P<key>[^\W\d_][^:]{0,70}?)\s*:\s*(?P<val>\S.*)$")


def kv_line(line: str) -> bool:
    """One "key: value" fact-box line: a short key, a short value, not a sentence."""
    line = strip_decor(line)
    m = _KV.match(line)
    if not m:
        return False
    key, val = m.group("key"), m.group("val")
    key_words = _WORD.findall(key)
    val_words = _WORD.findall(val)
    if not key_words or len(key_words) > 9 or not val_words or len(val_words) > 16:
        return False
    if key.isupper() and len(key_words) <= 3 and len(val_words) > 6:  # dateline
        return False
    if re.search(r"\b(?:said|says|told|asked)\b", key, re.IGNORECASE):
        return False
    if val.startswith(("\"", "“", "'", "‘")):  # a quote introduced by a colon
        return False
    if len(val_words) >= 5 and re.search(r"[.!?][\"'”’]?$", val):
        return False  # "Smith: We will appeal." is a transcript line, not a field
    # A value that is several sentences is prose after a colon, not a field.
    return len(re.findall(r"[.!?](?:\s|$)", val.rstrip(".").rstrip())) == 0


def kv_block(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return bool(lines) and all(kv_line(ln) for ln in lines)


def section_label(low: str) -> bool:
    """A one-to-three word section or kicker label ("Security", "Opinion", "Middle East")."""
    words = low.replace("&", " & ").split()
    if not words or len(words) > 4:
        return False
    return all(w in _SECTION_TOKENS or w in _SECTION_GLUE for w in words) and any(
        w not in _SECTION_GLUE for w in words
    )


def _language_switcher(s: Shape) -> bool:
    parts = [p for p in re.split(r"[|/•·,]|\s{2,}|\s+-\s+", s.low) if p.strip()]
    parts = [p.strip() for p in parts]
    if not parts or len(parts) > 12:
        return False
    if all(p in LANGUAGES for p in parts):
        return True
    tokens = s.low.replace("|", " ").replace("/", " ").split()
    return 2 <= len(tokens) <= 10 and all(t in _LANG_CODES for t in tokens)


def _breadcrumb(s: Shape) -> bool:
    parts = _CRUMB_SEP.split(s.core)
    if len(parts) < 2 and " " not in s.core and s.core.count("/") >= 1:
        parts = s.core.split("/")  # "Home/News/Local"
    if len(parts) < 2 or s.n_words > 16:
        return False
    if any(len(_WORD.findall(p)) > 5 or not p for p in parts):
        return False
    first = parts[0].strip().lower()
    if len(parts) >= 3 or first in ("home", "news", "homepage", "start"):
        return True
    # "Money › Pensions": two title-case parts joined by an arrow-like separator.
    return bool(re.search(r"\s[›»>→]\s", s.core)) and all(p.strip()[:1].isupper() for p in parts)


def _pipe_menu(s: Shape) -> bool:
    parts = [p.strip() for p in re.split(r"\s*[|•·]\s*|\s{3,}", s.core) if p.strip()]
    if len(parts) == 2 and all(section_label(p.lower()) for p in parts):
        return True
    if len(parts) < 3 or s.sentence_end:
        return False
    return all(0 < len(_WORD.findall(p)) <= 3 for p in parts)


def _share_bar(s: Shape) -> int:
    """2: share buttons; 1: words that are share buttons only next to others ("X", "Post")."""
    tokens = [t for t in re.split(r"[\s|/•·,]+", s.low) if t]
    if not tokens or len(tokens) > 14:
        return 0
    if not all(t.strip("():") in SHARE_WORDS or t.isdigit() for t in tokens):
        return 0
    if any(t in _SHARE_STRONG for t in tokens):
        return 2
    return 1


def _reaction(s: Shape) -> bool:
    key = s.low.strip(" !.*").replace(" ", "_")
    key = re.sub(r"_?\(?\d+\)?$", "", key)  # "Useful (12)"
    return key in _REACTIONS


_COOKIE_BUTTON = re.compile(
    r"^(?:accept|reject|decline|allow|deny)(?: all| cookies| all cookies| necessary(?: cookies)?)?"
    r"$|^(?:manage|cookie|privacy) (?:preferences|settings|choices|options)$|^i agree$|^got it$|"
    r"^(?:settings|preferences|options|more options|learn more|ok|okay|agree|i accept)$"
)


def _legal_links(s: Shape) -> bool:
    parts = [p.strip(" .") for p in re.split(r"\s*[|•·/]\s*|\s{2,}", s.low) if p.strip(" .")]
    return len(parts) >= 2 and sum(p in _LEGAL_LINKS for p in parts) >= max(2, len(parts) - 1)


def _promo_cue(s: Shape) -> bool:
    if s.n_words > 70:
        return False
    low = s.low
    if _REPORTED.search(low) and s.n_words > 4:
        return False  # a news sentence about donations or fees, not an appeal
    if s.n_words <= 40 and _PROMO_STRONG.search(low):
        return True
    cues = _PROMO_CUE.findall(low)
    if not cues:
        return False
    return bool(_READER.search(low)) or len(cues) >= 2


def classify(s: Shape) -> Hit | None:
    """The lexical verdict on one block (see :func:`classify_block`), line by line if need be.

    The segmenter joins short lines that happen to fill the wrap width, so a byline and
    its timestamp, or a poll question and its first answer, can arrive as one block.
    When the block as a whole matches nothing, it is boilerplate if every line is.
    """
    hit = classify_block(s)
    if hit is not None or "\n" not in s.raw.strip():
        return hit
    lines = [ln for ln in s.raw.split("\n") if ln.strip()]
    if len(lines) > 12:
        return None
    hits = [classify_block(Shape(ln)) for ln in lines]
    if any(h is None for h in hits):
        return None
    first = hits[0]
    assert first is not None
    if all(h is not None and h.label == first.label for h in hits):
        return Hit(first.label, first.rule, min(h.score for h in hits if h) * 0.95,
                   header=first.header, weak=all(h.weak for h in hits if h))
    return None


def classify_block(s: Shape) -> Hit | None:
    """The lexical verdict on one block, or None when its words alone do not decide.

    Order matters where cues overlap: legal before promo ("By subscribing you agree to our
    privacy notice" reads as a promotion's small print only in context), widgets before
    navigation ("Print" is a button), captions before metadata (credits name people).
    """
    c, low, n = s.core, s.low, s.n_words
    if not c or n == 0:
        # Pure symbols: a stray "*", "|" or emoji left over from a widget.
        return Hit(WIDGET, "symbols_only", 0.6, weak=True) if s.raw.strip() else None

    # ---- short, whole-block patterns
    if n <= 3 and _TICKER.match(low):
        return Hit(RELATED, "related_header", 0.8, header=True)  # a ticker of other stories
    if n <= 3 and c.isupper() and section_label(low):
        return Hit(NAVIGATION, "section_label", 0.8)  # a kicker: "COMMENT", "ANALYSIS"
    key = low.rstrip(" !.:*")  # "Link copied!", "Rate this:", "Captcha *"
    if n <= 12:
        if _NAV_LINE.match(key):
            return Hit(NAVIGATION, "nav_chrome", 0.9)
        if _language_switcher(s):
            return Hit(NAVIGATION, "language_switcher", 0.95)
        if _WIDGET_LINE.match(low) or _WIDGET_LINE.match(key) or _DURATION.match(low):
            header = bool(re.match(r"^(?:poll|quick poll|reader poll|(?:leave|add|post|write) )",
                                   low)) or "comment" in low
            return Hit(WIDGET, "widget_control", 0.9, header=header)
        share = _share_bar(s)
        if share:
            return Hit(WIDGET, "share_buttons", 0.9 if share > 1 else 0.5, weak=share == 1)
        if _reaction(s):
            return Hit(WIDGET, "reaction_button", 0.6, weak=True)
        if _GALLERY.match(low):
            return Hit(CAPTION, "gallery_control", 0.9)
        if _REL_HEADER.match(low):
            return Hit(RELATED, "related_header", 0.95, header=True)
        if _PROMO_LINE.match(low) and not (s.sentence_end and n > 5):
            # Box titles hand their label down; buttons and ad markers do not.
            header = bool(_PROMO_BOX.match(low))
            return Hit(PROMO, "promo_label", 0.9, header=header)

    if n <= 40 and re.match(r"^by (?:subscribing|signing up|registering)\b", low):
        return Hit(PROMO, "promo_appeal", 0.75)  # a sign-up form's small print
    if (
        n <= 60
        and any(k in low for k in _LEGAL_KEYS)
        and _LEGAL_STRONG.search(low)
        and not (_REPORTED.search(low) and n > 15)
    ):
        return Hit(LEGAL, "legal_notice", 0.9)
    if n <= 8 and _LEGAL_WEAK.search(low) and not s.sentence_end:
        return Hit(LEGAL, "legal_notice", 0.8)
    if n <= 4 and _COOKIE_BUTTON.match(key):
        return Hit(LEGAL, "cookie_notice", 0.7, weak=True)
    if n <= 16 and _legal_links(s):
        return Hit(LEGAL, "legal_links", 0.9)
    if n <= 80 and re.search(r"\bcookies?\b", low) and re.search(
        r"\b(?:accept|consent|we use|uses cookies|cookie policy|our partners)\b", low
    ):
        return Hit(LEGAL, "cookie_notice", 0.9)

    if n <= 25 and _NAV_LIVE.match(low):
        return Hit(NAVIGATION, "live_banner", 0.9)
    if n <= 40 and _POLL.match(low):
        return Hit(WIDGET, "poll", 0.85, header=True)
    if n <= 8 and _POLL_OPTION.match(low):
        return Hit(WIDGET, "poll", 0.6, weak=True)
    if n <= 20 and _MEDIA_CAPTION.match(low):
        return Hit(CAPTION, "media_caption", 0.85)
    if n <= 25 and _REL_INLINE.match(low):
        return Hit(RELATED, "read_more_link", 0.9)
    if n <= 20 and _NAV_NEXT.match(low):
        return Hit(NAVIGATION, "next_previous", 0.85)
    if n <= 40 and _NAV_TAGS.match(low):
        return Hit(NAVIGATION, "tag_list", 0.85)
    if n <= 16 and _breadcrumb(s):
        return Hit(NAVIGATION, "breadcrumb", 0.9)

    # ---- captions
    if n <= 6 and _CREDIT_ONLY.match(c) and c.startswith("(") or (
        n <= 6 and re.match(r"^(?:getty images|shutterstock|alamy)", low)
    ):
        return Hit(CAPTION, "photo_credit", 0.8)
    if n <= 70 and _CAPTION_START.match(low):
        return Hit(CAPTION, "photo_credit", 0.85)
    if 3 <= n <= 80 and not s.question:
        if any(p.search(c) for p in _CREDIT_TAILS) or _CREDIT_NAMED.search(c):
            return Hit(CAPTION, "photo_credit", 0.9)
        if n <= 45 and _CREDIT_AGENCY.search(c) and not _REPORTED.search(low):
            return Hit(CAPTION, "photo_credit", 0.85)
    if 4 <= n <= 70 and _CAPTION_CUE.search(low):
        return Hit(CAPTION, "caption_phrase", 0.8)

    # ---- metadata
    if key in ("updated", "published", "posted", "last updated", "last modified"):
        return Hit(METADATA, "timestamp", 0.7)
    if n <= 4 and _ABOUT_AUTHOR.match(key):
        return Hit(METADATA, "author_box", 0.85, header=True)
    if n <= 24 and _BYLINE.match(c):
        return Hit(METADATA, "byline", 0.95)
    if 2 <= n <= 10 and _ROLE_LINE.match(c) and not s.sentence_end:
        return Hit(METADATA, "author_role", 0.85)
    if n <= 8 and _OUTLET_BYLINE.match(c):
        return Hit(METADATA, "byline", 0.8)
    if n <= 15 and _CONTACT.search(low):
        return Hit(METADATA, "author_contact", 0.8)
    if n <= 40 and _UPDATE_NOTE.match(low):
        return Hit(METADATA, "published_credit", 0.85)
    if n <= 8 and _AGENCY_LINE.match(low):
        return Hit(METADATA, "agency_credit", 0.85)
    if n <= 60 and _WIRE_CREDIT.match(low):
        return Hit(METADATA, "wire_credit", 0.9)
    if s.date_only:
        return Hit(METADATA, "timestamp", 0.85, weak=True)
    if n <= 6 and _READ_TIME.fullmatch(low):
        return Hit(METADATA, "reading_time", 0.9)
    if n <= 16 and _PUBLISHED.match(low) and (_DATE.search(c) or _AGO.search(c)):
        return Hit(METADATA, "published_credit", 0.9)

    # ---- promotions (phrase cues, bounded by length)
    if n <= 60 and _WIDGET_PHRASE.search(low):
        return Hit(WIDGET, "comment_form", 0.8)
    if _promo_cue(s):
        return Hit(PROMO, "promo_appeal", 0.8)
    if n <= 15 and low.startswith("click here"):
        return Hit(RELATED, "read_more_link", 0.75)

    # ---- navigation by lexicon
    if n <= 4 and section_label(low) and not s.sentence_end:
        return Hit(NAVIGATION, "section_label", 0.75, weak=True)
    if n <= 30 and _pipe_menu(s) and not s.dateline:
        return Hit(NAVIGATION, "menu", 0.85)
    return None
