"""English: words matched as Snowball (Porter2) stems, so "launch" finds launched, launching and
launches; a phrase's words may have up to two words between them ("a new state-backed AI company")."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from monitor.lang.base import FigureWords, Language

_STEMMER = snowballstemmer.stemmer("english")


# Words Porter2 would merge with a word of another sense: "engineering capabilities" are not
# engineers, nor is "the main private engine of Japan's hedge"; an "operational environment" does
# not operate a robot, "Japanese-developed models" are not Japanese developers. Each stays a stem of
# its own.
_DISTINCT = frozenset({"engineering", "engine", "engines", "operational", "operation", "operations", "operationally",
                       "developer", "developers"})


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Porter2 stem of a lower-case word (cached: news reuses a small vocabulary), except for
    the few words it would merge with another sense (`_DISTINCT`)."""
    return word if word in _DISTINCT else _STEMMER.stemWord(word)


CONCEPTS: dict[str, tuple[str, ...]] = {
    # Places and actors
    # (the ministry and its agency are Japan's: "METI names Noetra" names the country)
    # Other countries by name (not their adjectives: "American and Chinese AI" is F10's), and the yuan:
    # where they stand, a sum in yen (or a "¥" that is the yuan's) does not place a text in Japan.
    "elsewhere": ("China", "Beijing", "Shanghai", "Shenzhen", "Korea", "Seoul", "India", "Taiwan", "yuan", "renminbi", "RMB"),
    "japan": ("Japan", "Japanese", "Tokyo", "Nippon", "METI", "Ministry of Economy, Trade and Industry", "NEDO"),
    "government": ("government", "the state", "state-backed", "state-funded", "ministry", "METI",
                   "Ministry of Economy", "trade ministry", "industry ministry", "economy ministry", "Tokyo",
                   "officials", "authorities", "public funds", "public money", "taxpayer", "prime minister",
                   "Takaichi", "cabinet", "NEDO"),
    "foreign": ("foreign", "overseas", "abroad", "outside", "external", "imported", "non-Japanese", "American", "U.S.",
                "US", "United States", "America", "Chinese", "China", "Silicon Valley", "Big Tech", "global tech",
                "tech giants", "hyperscaler", "OpenAI", "Google", "Microsoft", "Anthropic", "DeepSeek", "Alibaba", "Meta"),
    "us_china": ("United States and China", "US and China", "U.S. and China", "America and China",
                 "American and Chinese", "US and Chinese", "U.S. and Chinese", "Washington and Beijing", "US-China",
                 "U.S.-China", "China and the US", "China and the United States", "Chinese and American",
                 "Chinese and US", "superpowers"),
    # Why: dependence, risk, catching up
    "dependence": ("depend", "dependence", "dependent", "dependency", "dependencies", "reliance", "rely", "reliant",
                   "beholden", "at the mercy", "lean on", "leaning on", "hostage", "captive",
                   "hinge on", "subordinate", "hand over", "cede", "ceding", "outsourc*",
                   "in the hands of", "in foreign hands", "exposure to", "alternative to", "alternatives to",
                   "substitute for", "wean", "weaning",
                   # AI rented from abroad ("not having to rent its AI from the US or China forever")
                   "rent its AI", "rent their AI", "rent our AI"),
    "risk": ("risk*", "security*", "threat*", "vulnerab*", "danger*", "exposed", "weakness*", "jeopard*", "peril*",
             "safeguard*", "leverage over", "chokepoint*", "cut off", "sanction*", "national interest"),
    # What is at stake, named alone: national or economic security, geopolitics; the race itself.
    # ("economic security" alone is also a policy area and a law: 経済安全保障推進法.)
    "security_stake": ("national security", "supply-chain security", "supply chain security", "geopolitical",
                       "geopolitics", "security concerns", "security risk*"),
    "global_race": ("AI race", "global race", "race for AI", "compete globally", "compete on the global stage",
                    "fall behind", "falling behind", "fell behind", "fallen behind", "left behind", "keep pace with",
                    "catch up with", "catch up to", "AI arms race", "technology race", "tech race"),
    "behind": ("behind", "lag", "lagging", "laggard", "trail", "trailing", "catch up", "catching up", "fall behind",
               "fallen behind", "fell behind", "gap", "outpaced", "outpace", "dominate", "dominance", "dominated",
               "ahead", "lead", "leading", "race", "compete", "competition", "rival", "challenger", "counter",
               "keep pace", "left behind", "back in the game", "comeback", "regain"),
    # The company
    "company": ("company", "firm", "corporation", "entity", "startup", "subsidiary", "business"),
    "new_company": ("new company", "new firm", "new entity", "new venture", "new corporation", "new AI company",
                    "joint company", "joint venture", "joint entity", "the venture", "consortium", "alliance",
                    "coalition", "JV", "development company", "special-purpose company", "AI develop*"),
    "found": ("establish", "assemble", "assembling", "establishment", "set up", "setting up", "found", "founding", "form", "formation", "launch",
              "create", "creation", "incorporate", "stand up", "begin operations", "began operations",
              "start operations", "started operations", "open for business", "open its doors", "unveil", "debut",
              "inaugurate", "come into being", "team up", "join forces", "band together", "spin off", "spun off",
              "start up", "company SoftBank is putting together", "putting together a new company", "putting together a joint venture"),
    "participate": ("participate", "participation", "participant", "join", "member compan*", "member firm*", "investor",
                    "shareholder", "take stakes", "taken stakes", "took stakes", "stake in", "stakes in", "backer", "partner compan*",
                    "take part", "on board", "signed up", "contribute capital", "funded by", "owned by", "invest in the",
                    "capital from", "backed by", "backing", "bankrolled by"),
    "name": ("named", "called", "dubbed", "known as", "name", "renamed", "christened", "branded", "tentatively"),
    "spring": ("spring", "April", "next year", "early next year", "by spring", "2026"),
    # Engineers
    "engineers": ("engineer", "engineering staff", "engineering headcount", "engineering workforce", "engineering core", "researcher*", "scientist*", "AI talent", "expert", "specialist*", "technical staff",
                  "technician*", "data scientist*", "AI professionals"),
    # Talent as a policy (training people): the nation trains people, nobody staffs the company.
    "talent_development": ("talent development", "develop talent", "developing talent", "train talent", "training talent",
                           "nurture", "cultivate", "upskill*", "reskill*", "skills training"),
    # A team grown: "expand its engineering staff to around 300".
    "grow_staff": ("expand staff", "grow staff", "increase staff", "boost staff", "double staff", "triple staff", "expand team",
                   "grow team", "staff to", "team to", "headcount", "workforce"),
    # ... to a new count: with the count only (F6), as "demand for AI engineers will rise to 800,000" is no staff
    "staff_to": ("grow to", "grows to", "growing to", "expand to", "expands to", "rise to", "rises to", "swell to", "swells to",
                 "go to", "goes to", "went to", "threefold", "tripl*", "end the year with", "ended the year with",
                 "now numbers", "reached", "reaches", "will reach", "grown from", "grew from"),
    # (not hiring in general, "recruit", "hire": any employer's, an applicant's "recruit and keep the engineers")
    "gather": ("gather", "bring together", "brought together", "pool", "drawn from", "draw from",
               # ("seconded" stems as "second": matched as written, not the ordinal "the second is", "second to none")
               "assemble", "=seconded", "=seconding", "=secondment", "=secondments", "=secondees", "dispatch", "come from", "hail from", "staffed", "transfer", "mobilize", "poach",
               "on loan", "lend", "from SoftBank", "from Preferred"),
    # The model and who uses it
    "model": ("model", "foundation model", "base model", "LLM", "large language model", "AI system", "platform",
              "the AI", "the technology", "the system", "outputs", "results", "trial version", "test version", "beta",
              "that base", "the base", "this base", "trial release", "test release", "early version", "first version",
              "preview version", "preview release", "prototype"),
    "japanese_companies": ("Japanese companies", "Japanese firms", "Japanese businesses", "Japanese manufacturers",
                           "Japanese enterprises", "Japanese corporations", "Japanese users", "Japanese developers", "Japanese developer",
                           "Japanese organizations", "Japanese startups", "Japanese industry", "domestic companies",
                           "domestic firms", "domestic businesses", "domestic industry", "domestic users",
                           "domestic manufacturers", "local companies", "local firms", "companies in Japan", "companies across Japan",
                           "firms across Japan", "businesses across Japan", "companies throughout Japan", "businesses throughout Japan",
                           "firms in Japan", "businesses in Japan", "Japan Inc", "Japanese private sector",
                           "Japanese corporate", "Japan's companies", "Japan's businesses",
                           "Japanese carmakers", "Japanese automakers", "Japanese electronics", "Japanese corporates",
                           "JP corporates", "JP companies", "JP firms", "JP businesses", "JP corp", "JP corps",
                           # the smaller ones, in an article about Japan's model
                           "small and medium-sized companies", "small and medium-sized enterprises",
                           "small and medium-sized firms", "small and medium-sized businesses",
                           "small and midsize companies", "SMEs", "smaller companies", "smaller firms",
                           # companies the model is opened to, in an article about Japan
                           "open to companies", "open to businesses", "available to companies",
                           "available to businesses", "offered to companies", "provided to companies"),
    "open_use": ("open to", "opened to", "opened up", "make available", "made available", "available to", "offer to",
                 "provide", "supply", "license", "access", "distribute", "release", "free to use", "allow", "use",
                 "usable", "adapt", "tailor", "customize", "customise", "fine-tune", "build on", "build upon",
                 "put to use", "own purposes", "own uses", "own needs", "own business", "own services", "own products",
                 "own applications", "own work", "open", "trial", "try out", "test-drive", "pilot", "share with",
                 "get to use", "letting Japanese", "letting companies", "letting firms", "letting businesses", "hand", "handed", "hand over", "hands over", "go out to", "goes out to", "went out to"),
    # Physical AI
    "physical_ai": ("physical AI", "embodied AI", "physical intelligence", "AI for robots", "robot AI",
                    "physical-world AI", "AI robotics"),
    "robot": ("robot", "robots", "robotic", "robotics", "humanoid", "physical world", "real world", "embodied",
              "autonomous machines", "machines that move"),
    "apply": ("apply", "application", "control", "drive", "embed", "mount", "install", "operate", "future",
              "eventually", "eventual", "later", "next stage", "next phase", "ultimately", "aim", "goal", "target",
              "envision", "intend", "brain", "integrate into", "used in", "used for", "for robots",
              "carry into", "put into", "model into robots", "models into robots", "AI into robots", "it into robots",
              "them into robots", "put inside", "sit inside robots", "run inside robots", "live inside robots", "end up in", "end up inside", "bring into", "build into", "built into", "to power",
              "go into", "move into", "reasoning layer", "layer for",
              # the model helping robots act ("this model should help robots ... act in the real world"; not
              # "grease will help robots run longer")
              "model help robots", "model let robots", "model enable robots", "model help machines", "AI help robots",
              "AI let robots", "AI enable robots"),
    # Money
    "budget": ("budget", "budgeted", "allocate", "allocation", "appropriate", "appropriation", "earmark", "set aside",
               "fiscal", "spending", "funding", "outlay", "first-year", "first year", "initial year", "draft budget"),
    "state_budget": ("budget", "budgeted", "budget request", "draft budget", "supplementary budget", "allocation",
                     "appropriation"),
    "support": ("support", "subsidy", "subsidies", "subsidize", "subsidise", "fund", "funding", "back", "backing",
                "aid", "assistance", "assist", "finance", "financing", "grant", "invest", "investment", "inject",
                "pour", "commit", "commitment", "spend", "provide", "help", "bankroll", "underwrite", "money"),
    "five_years": ("five years", "five-year", "5 years", "5-year", "5 yrs", "five yrs", "through 2030", "through fiscal 2030", "until 2030",
                   "over the next five", "over five", "across five", "2026 to 2030", "fy2026-2030", "multi-year", "multiyear"),
    "data_center": ("data center", "data centre", "datacenter", "computing", "compute", "computational",
                    "infrastructure", "GPU", "GPUs", "server", "servers", "supercomputer", "AI factory",
                    "processing power", "chips", "cluster", "facility", "facilities"),
    "total": ("public-private", "public and private", "government and private", "government and the private",
              "state and private", "government and industry", "government and companies", "government and business",
              "private sector", "private investment"),
    # A sum said to be a total, by whom unsaid: the program's total only at its tracked figure ("total
    # support of ¥1.5 trillion" is the ministry's).
    "sum_word": ("combined", "total", "in all", "altogether", "overall", "package", "tally"),
    # The plan's size said by the plan alone ("a ¥3 trillion plan"): a total only at its tracked figure.
    "plan_scale": ("plan", "program", "programme", "project", "initiative", "effort", "scheme", "push", "bet"),
}  # fmt: skip

# The staff named, up to three words of going or growing after it ("staff, it added, would grow"): what
# leads to a bare number that counts people (FigureWords.headcount_before).
_HEADCOUNT_WORDS = r"\b(?:staff|staffing|headcount|workforce|payroll|team)(?:,\s(?:it|he|she|they|officials?|the\s(?:ministry|company))\s(?:said|added|says|adds),)?(?:\s+(?:will|would|is|are|to|also|be|more|than|grow|grows|go|goes|going|went|expand|expands|rise|rises|increase|increases|reach|reaches|double|triple|put|set|pegged|estimated)){0,3}"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
BYLINE = re.compile(
    rf"^(?:by\s+[\w.'’ -]{{2,60}}(?:\s*[|,·•-]\s*.*)?|(?:updated|published|posted)\b.{{0,60}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}.{{0,40}}"
    rf"|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}.{{0,40}}|{_MONTH}\s+\d{{4}}|[a-z .'-]{{2,40}},\s*{_MONTH}\s+\d{{1,2}}\s*(?:\([^)]{{2,40}}\))?\s*[-–—]?|"
    rf"[a-z .'-]{{2,30}}\s*\([^)]{{2,40}}\)\s*[-–—]+|(?:staff|special)\s+(?:writer|correspondent|reporter).{{0,40}})$"
)
NOTE = re.compile(r"^[\[(]?\s*(?:editor[’']?s['’]?\s+note|a\s+note\s+from\s+the\s+editors?|note\s+from\s+the\s+editors?|note\s+to\s+readers|addendum|postscript)\s*[\])]?(?:[:：.—–-].*)?$")
END = re.compile(r"^(?:-?\s?30\s?-|#{3}|\(\s*ends?\s*\)|-?\s?ends?\s?-)$")  # not a line "ends" (a poem's last word)
CLOSING = re.compile(
    r"^(?:(?:reporting|additional reporting|writing|editing) by\b.*|.{0,60}\b(?:all rights reserved|copyright\s*(?:©|\(c\)|\d{4})|©).{0,80}"
    r"|this (?:article|story) (?:originally )?(?:appeared|was (?:first )?published) (?:on|in)\b.*|read the original\b.*"
    r"|\(?[\w.+-]+@[\w-]+\.[\w.]+\)?"
    r"|.*\bcontributed (?:to )?(?:this|the) (?:report|story|article)\.?"
    r"|copyright\s+[\w .,&'’-]{1,60}\.?(?:\s*(?:permission required|reproduction (?:is )?prohibited)\b.{0,60})?)$"
)
DATELINE = re.compile(
    rf"^(?:[A-Z][A-Za-z .'-]{{1,30}}(?:,\s*{_MONTH}\s*\d{{1,2}})?\s*\([^)]{{2,40}}\)\s*[-–—]+\s+|[A-Z]{{3,}}(?:[ ,][A-Z]{{3,}})?(?:,\s*[A-Z][a-z]{{2,9}}\.?\s*\d{{1,2}})?\s*[-–—]+\s+)"
)

ANYWHERE = re.compile(
    r"^(?:you[’']ve read \d+ of \d+ free articles.*|get unlimited (?:digital )?access.*|already a subscriber.*|"
    r"advertisement|advertisements|sponsored(?: content)?|subscribe(?: now)?(?: to .{0,40})?|sign up for .{0,60}newsletter.*|"
    r"\[?related(?: articles| stories)?\]?|(?:text|font) size.{0,20}|print|share|"
    r"how do you feel about this (?:story|article)\??|was this (?:article|story) helpful\??"
    r"|disclosure:.*|.*\baffiliate (?:links?|commissions?)\b.*|(?:have|got) a (?:news )?tip\??.*|story continues below(?: advertisement)?"
    r"|this (?:article|story) was (?:originally |first )?(?:published|written) in [a-z]+\b.*|view (?:the )?full (?:version|article|story)\b.*)$"
)

LANGUAGE = Language(
    code="en",
    name="English",
    zone="UTC",
    spaced=True,
    script=None,
    concepts=CONCEPTS,
    stem=stem,
    credit_cues=("according to", "reported", "report", "reports", "said", "told", "citing", "cited", "picked up",
                 "first reported", "followed up", "disclosed", "revealed", "broke the news", "scoop", "compiled by",
                 "via", "source", "courtesy"),  # fmt: skip
    byline_line=BYLINE,
    closing_line=CLOSING,
    note_line=NOTE,
    end_line=END,
    anywhere_line=ANYWHERE,
    dateline_prefix=DATELINE,
    sentence_stops="!?",
    abbreviations=frozenset({"mr", "mrs", "ms", "dr", "prof", "st", "co", "corp", "inc", "ltd", "jr", "sr", "no", "vs", "etc",
                             "gov", "gen", "sen", "rep", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                             "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e", "a.m", "p.m"}),  # fmt: skip
    figures=FigureWords(
        currencies={"JPY": (r"(?:Japanese\s)?yen\b", r"JPY\b"), "KRW": (r"(?:South\sKorean\s|Korean\s)?won\b", r"KRW\b"),
                    "USD": (r"(?:US\s|U\.S\.\s)?dollars?\b", r"USD\b"), "EUR": (r"euros?\b", r"EUR\b"),
                    "CNY": (r"yuan\b", r"CNY\b")},  # fmt: skip
        units={"parameters": (r"(?:param[ea]?t(?:er|re|r)s?|params?)\b",),  # and "paramters", "parametres"
               "people": (r"(?:people|persons|engineers|enginers|researchers|employees|staff|workers|experts|specialists|scientists)\b",),
               "firms": (r"(?:companies|firms|businesses|corporations|investors|shareholders|backers|partners|cos)\b", r"-(?:company|firm|member)\b"),
               "years": (r"years?\b",), "percent": (r"percent\b", r"per\scent\b")},  # fmt: skip
        gapped_units={"people": (r"(?:engineers|researchers|experts|specialists|scientists|employees|staff|people)\b",),
                      "firms": (r"(?:companies|firms|businesses|corporations|investors|shareholders|backers)\b",)},  # fmt: skip
        pronoun_after=(r"\s+of\s+(?:them|whom)\b",),
        # (the subject the count's own: "expects to reach", "the team will grow to"; not "the number of
        # customers to grow to", "its benchmark score could rise to")
        reach_before=(r"(?:\b(?:expects?|expected|aims?|plans?|hopes?|wants?|intends?|targets?)\s+to\s+"
                      r"|\b(?:it|that|headcount|staff|staffing|team|workforce)\s+(?:(?:will|would|should|is\s+to|is\s+expected\s+to|is\s+set\s+to)\s+)?)"
                      r"(?:reach|grow\s+to|rise\s+to|expand\s+to|swell\s+to|climb\s+to|increase\s+to)\s+(?:(?:about|around|roughly|some|nearly|approximately)\s+)?",),
        clause_end_after=("by", "in", "next", "this", "within", "over", "before", "after"),
        vague_before=(r"a\s+few", "several", "many"),
        ordinal_before=("number", r"no\.", "item", "step", "slide", "cue", "scene", "panel", "chapter", "question", "part",
                        "phase", "round"),
        pronoun_before=(r"\bthere\s+(?:are|were|will\s+be|would\s+be|should\s+be)\s+(?:(?:about|around|roughly|some|nearly|almost|approximately|over|more\s+than)\s+)?",),
        other_party=(r"[A-Z]", r"\b(?:while|whereas|than|compared|versus|vs|unlike|rivals?|competitors?|their|its own|by comparison)\b"),
        flow_columns=("revenue", "revenues", "sales", "profit", "profits", "income", "earnings"),
        unit_columns=("unit", "units", "currency", "currency unit", "unit of account"),
        approx_before=("about", "around", "roughly", "approximately", "some", "nearly", "almost", "~"),
        approx_after=(r"odd\b", r"-odd\b", r"or\sso\b"),
        min_before=(r"more\sthan", "over", "above", r"at\sleast", r"in\sexcess\sof", r"upwards?\sof"),
        min_after=(r"plus\b", r"or\smore\b"),
        max_before=(r"less\sthan", "under", "below", r"up\sto", r"at\smost"),
        max_after=(r"or\sless\b",),
        increment_before=(r"(?:an?\s+)?(?:extra|additional|further|another|incremental)",
                          # "raised by about 500 billion yen"; not "set up by about 10 companies", "praised by"
                          r"\b(?:rise|rises|rose|risen|increase|increases|increased|grow|grows|grew|(?:is|was|are|were|went|be)\s+up|boost|boosts|boosted|raise|raises|raised)\s+(?:it\s+|them\s+)?by(?:\s+(?:about|around|roughly|some|nearly|almost|approximately))?"),
        increment_after=(r"\s?(?:more|extra)\b",),
        # (not "a year earlier", "a year ago")
        crowd_after=(r"\s+(?:turned\s+out|packed\s+(?:the|into)|crowded\s+into|filled\s+the\s+(?:hall|room|auditorium))\b",),
        per_year_after=(r"\s+(?:a|per|each)\s+year\b(?!\s+(?:earlier|ago|before|later|after|from|on\b(?!\s+average)))", r"\s+annually\b", r"\s+per\s+annum\b",
                        r"\s+apiece\b", r"\s+each\b(?=\s*(?:[.,;:)]|$|(?:to|for|from|in|over|by|and|as)\b))"),
        speculative_before=(r"(?:could|may|might|would|possibly|potentially|likely to)\s+(?:\w+\s+)?(?:exceed|top|surpass|"
                            r"rise to|climb to|go beyond|grow to|balloon to|swell to)\s*(?:as much as\s*)?(?:about|around|some)?",
                            # a level denied is no report of it: "unlikely to reach 3 trillion yen"
                            r"(?:unlikely to|not expected to|won't|will not|cannot|can't|never)\s+(?:\w+\s+)?(?:reach|hit|top)\s*(?:about|around|some)?"),
        fiscal_before=(r"fiscal(?:\syear)?", "FY"),
        parameters_before=(r"parameters?",),
        copula_before=(r"\b(?:is|was|are|were|remains|stays)",),
        # (an attribution may stand inside: "staff, it added, would grow to about 300")
        headcount_before=(rf"{_HEADCOUNT_WORDS}\s+(?:to|of|at)",),
        headcount_reach_before=(rf"{_HEADCOUNT_WORDS}\s+reach(?:es)?",),
        proportion_before=(r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine)\s+(?:in|out\s+of)\s",),
        others_between=(r"other\b",),
        label_nouns={"parameters": (r"parameters?\b",), "firms": (r"(?:companies|firms|investors|shareholders)\b",),
                     "people": (r"(?:engineers|researchers|scientists|staff)\b",)},  # fmt: skip
        label_marks=(r"\s?[:：;；]", r"\s[—–-]", r"(?:\s+or\s+so)?\.\s",
                     # "About ten is the number of companies", '"about ten" is the figure everyone uses for the shareholders'
                     r"[\"”’]?\s+is\s+(?:the|our|their|its)\s+(?:number|figure|count|tally|headcount)\b[^.!?\n\"”]{0,30}?\b(?:of|for)(?:\s+the)?(?=\s)"),  # "1 trillion; parameters; ...", "1 trillion. Parameters, ..."
        revised_to=(r"\s*(?:[a-z]+\s+)?(?:to|into)\s+(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+)?",
                    r"\s*(?:→|➡️?|⇒|->|=>)\s*(?:about\s+|around\s+|~)?"),  # card news: "100 → 300"
        revised_from=(r",?\s*(?:(?:up|down|rising|falling)\s+)?from\s+(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+)?",
                      # "grow to about 300, roughly three times the 100 or so it started with"
                      r",?\s*(?:roughly\s+|about\s+|some\s+|nearly\s+)?(?:twice|(?:two|three|four|five|\d+(?:\.\d+)?)\s+times)\s+(?:the\s+)?(?:about\s+|around\s+|roughly\s+|some\s+)?"),
        asked_units={"people": (r"\bhow\s+many\s+(?:[\w-]+\s+){0,2}?(?:engineers|researchers|people|staff|employees|developers|scientists)\b",),
                     "firms": (r"\bhow\s+many\s+(?:[\w-]+\s+){0,2}?(?:companies|firms|businesses|investors|backers|partners|shareholders)\b",)},
        struck_marks=("deleted", "delete", "removed", "struck", "strike", "old", "was"), added_marks=("added", "add", "inserted", "insert", "new", "now"),  # a redline: "[deleted: ...] [added: ...]"
        revised_lead=r"\bfrom\s+(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+)?$",
        range_lead=(r"\b(?:rang(?:e|es|ed|ing)|anywhere|var(?:y|ies|ied|ying)|invest(?:s|ed|ing)?|spend(?:s|ing)?|spent|cost(?:s|ing)?|between)"
                    r"\s+from\s+(?:(?:about|around|roughly|some|nearly|approximately)\s+)?",),
        ranges=((r"\bbetween\s+(?:about\s+|around\s+|roughly\s+|some\s+)?$", r"\s+and\s+", ""),
                ("", r"\s*[-–—]\s*", ""),
                (r"(?<!from )(?<!from about )(?<!from around )(?<!from roughly )(?<!from some )$", r"\s+to\s+", "")),
    ),
)
