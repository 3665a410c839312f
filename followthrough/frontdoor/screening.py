"""The CSE screening tool: indicators by domain, each weighted low, medium or high, and the rule
that turns the indicators present into a risk band. Pure Python: no Django.

The tool is versioned. A screening records the version it was scored with, so an old screening
keeps meaning what it meant when it was done even after the partnership changes the tool;
add a new `ScreeningTool` to `TOOLS` and point `CURRENT_VERSION` at it rather than editing one
in place.

The shape follows the screening tools local safeguarding partnerships publish (for example the
Pan-Cheshire and West Midlands tools): indicators in domains, each with a suggested level, two
fixed rules, and the practitioner's judgement on top:
- a disclosure of sexual exploitation is automatically high risk;
- for a child aged 13 or under, any one high-risk indicator is a significant concern (high).
The thresholds for everyone else are this partnership's local setting (see `ScreeningTool`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return {"low": "Low risk", "medium": "Medium risk", "high": "High risk"}[self.value]


BAND_ORDER = {Band.LOW: 0, Band.MEDIUM: 1, Band.HIGH: 2}

# The age at or under which one high-risk indicator is enough.
YOUNG_CHILD_MAX_AGE = 13


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    text: str
    weight: Band
    disclosure: bool = False


@dataclass(frozen=True)
class ScreeningTool:
    version: str
    indicators: tuple[Indicator, ...]
    # For a child over 13: this many high indicators make the band high ...
    high_if_high_count: int = 2
    # ... or one high indicator together with this many medium ones.
    high_if_one_high_and_medium: int = 2
    # Medium: one high indicator, or this many medium ones.
    medium_if_medium_count: int = 2

    def __post_init__(self) -> None:
        codes = [i.code for i in self.indicators]
        if len(codes) != len(set(codes)):
            raise ValueError(f"Screening tool {self.version} repeats an indicator code")

    @property
    def domains(self) -> list[str]:
        seen: list[str] = []
        for indicator in self.indicators:
            if indicator.domain not in seen:
                seen.append(indicator.domain)
        return seen

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def in_domain(self, domain: str) -> list[Indicator]:
        return [i for i in self.indicators if i.domain == domain]


@dataclass(frozen=True)
class DomainScore:
    domain: str
    high: int = 0
    medium: int = 0
    low: int = 0


@dataclass(frozen=True)
class ScreeningResult:
    version: str
    band: Band
    reasons: tuple[str, ...]
    domains: tuple[DomainScore, ...]
    young_child_rule_applied: bool = False
    disclosure: bool = False
    indicators_present: tuple[str, ...] = field(default_factory=tuple)


def score(tool: ScreeningTool, present: Iterable[str], child_age: int | None) -> ScreeningResult:
    """Score the indicators present (by code) for a child of `child_age` (None if unknown)."""
    codes = sorted(set(present))
    unknown = [c for c in codes if c not in {i.code for i in tool.indicators}]
    if unknown:
        raise ValueError(f"Not in screening tool {tool.version}: {', '.join(unknown)}")
    indicators = [tool.indicator(c) for c in codes]
    weights = Counter(i.weight for i in indicators)
    high, medium = weights[Band.HIGH], weights[Band.MEDIUM]
    disclosure = any(i.disclosure for i in indicators)
    young = child_age is not None and child_age <= YOUNG_CHILD_MAX_AGE

    reasons: list[str] = []
    young_rule = False
    if disclosure:
        band = Band.HIGH
        reasons.append("A disclosure of sexual exploitation is automatically high risk.")
    elif young and high >= 1:
        band = Band.HIGH
        young_rule = True
        reasons.append(
            f"The child is {child_age}: for a child aged {YOUNG_CHILD_MAX_AGE} or under any one "
            "high-risk indicator is a significant concern."
        )
    elif high >= tool.high_if_high_count:
        band = Band.HIGH
        reasons.append(f"{high} high-risk indicators are present.")
    elif high >= 1 and medium >= tool.high_if_one_high_and_medium:
        band = Band.HIGH
        reasons.append(f"A high-risk indicator is present with {medium} medium-risk indicators.")
    elif high >= 1:
        band = Band.MEDIUM
        reasons.append("One high-risk indicator is present.")
    elif medium >= tool.medium_if_medium_count:
        band = Band.MEDIUM
        reasons.append(f"{medium} medium-risk indicators are present.")
    else:
        band = Band.LOW
        reasons.append(
            "No indicators are present."
            if not indicators
            else "Only low-risk indicators, or a single medium-risk one, are present."
        )
    if child_age is None and not disclosure and high >= 1:
        reasons.append(
            f"The child's age is not known: if they are {YOUNG_CHILD_MAX_AGE} or under, "
            "one high-risk indicator makes this high risk."
        )

    domain_scores = []
    for domain in tool.domains:
        counts = Counter(i.weight for i in indicators if i.domain == domain)
        domain_scores.append(
            DomainScore(domain, counts[Band.HIGH], counts[Band.MEDIUM], counts[Band.LOW])
        )
    return ScreeningResult(
        version=tool.version,
        band=band,
        reasons=tuple(reasons),
        domains=tuple(domain_scores),
        young_child_rule_applied=young_rule,
        disclosure=disclosure,
        indicators_present=tuple(codes),
    )


def final_band(computed: Band, override: Band | None, override_reason: str) -> Band:
    """The band that stands: the practitioner's override when they give one with a reason."""
    if override is None or override == computed:
        return computed
    if not override_reason.strip():
        raise ValueError("Give the reason for changing the calculated band.")
    return override


H, M, L = Band.HIGH, Band.MEDIUM, Band.LOW

TOOL_V1 = ScreeningTool(
    version="1",
    indicators=(
        # Disclosure
        Indicator(
            "disclosure",
            "Disclosure",
            "The child has said they are being sexually exploited or abused",
            H,
            disclosure=True,
        ),
        # Missing
        Indicator("missing_overnight", "Going missing", "Going missing overnight or longer", H),
        Indicator("missing_repeat", "Going missing", "Going missing repeatedly, even briefly", M),
        Indicator("late_home", "Going missing", "Regularly coming home late", L),
        # Relationships and grooming
        Indicator(
            "older_partner",
            "Relationships and grooming",
            "Relationship with a much older or controlling person",
            H,
        ),
        Indicator(
            "vehicles",
            "Relationships and grooming",
            "Getting into or out of cars driven by unknown adults",
            H,
        ),
        Indicator(
            "gifts_money",
            "Relationships and grooming",
            "Money, phones, clothes or other gifts that cannot be explained",
            H,
        ),
        Indicator(
            "hotspots",
            "Relationships and grooming",
            "Seen at places known for exploitation (houses, hotels, takeaways)",
            H,
        ),
        Indicator(
            "associates",
            "Relationships and grooming",
            "Associating with unknown adults or with young people who are being exploited",
            M,
        ),
        Indicator(
            "isolated",
            "Relationships and grooming",
            "Less contact with family and usual friends",
            L,
        ),
        # Online
        Indicator("sexual_images", "Online and phone", "Sending or receiving sexual images", H),
        Indicator(
            "online_contact",
            "Online and phone",
            "Contact online with adults they do not know",
            M,
        ),
        Indicator(
            "second_phone",
            "Online and phone",
            "A second phone, or many calls and messages late at night",
            M,
        ),
        # Health
        Indicator(
            "sti_pregnancy",
            "Health",
            "A sexually transmitted infection, pregnancy or termination",
            H,
        ),
        Indicator(
            "injuries",
            "Health",
            "Injuries suggesting physical or sexual assault, not explained",
            H,
        ),
        Indicator("substances", "Health", "Misusing drugs or alcohol", M),
        Indicator("self_harm", "Health", "Self-harm, thoughts of suicide or an eating disorder", M),
        # Education and behaviour
        Indicator(
            "school_absence",
            "Education and behaviour",
            "Missing school, or a sudden change in attendance or performance",
            M,
        ),
        Indicator(
            "secretive",
            "Education and behaviour",
            "Secretive, angry or withdrawn when asked about where they go",
            M,
        ),
        Indicator(
            "offending",
            "Education and behaviour",
            "Offending or anti-social behaviour, often with others",
            L,
        ),
    ),
)

TOOLS: dict[str, ScreeningTool] = {TOOL_V1.version: TOOL_V1}
CURRENT_VERSION = TOOL_V1.version


def current_tool() -> ScreeningTool:
    return TOOLS[CURRENT_VERSION]


def tool(version: str) -> ScreeningTool:
    return TOOLS[version]
