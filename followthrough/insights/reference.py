"""Reference lists for offence records: Home Office offence codes, groups, age bands, and the
published national figures the synthetic generator is calibrated to.

Codes and descriptions: Home Office police recorded crime offence classification (Open Government
Licence v3.0), as compiled in shared/data/insights/prc_sexual_offence_codes.csv. The victim age
range is the one implied by the offence title. No Django import.
"""

from __future__ import annotations

from dataclasses import dataclass

RAPE = "Rape of a child"
ASSAULT = "Sexual assault"
ACTIVITY = "Sexual activity with a child"
GROOMING = "Sexual grooming"
IMAGES = "Obscene publications (incl. indecent images)"
EXPLOITATION = "Exploitation or abuse of trust"
OTHER = "Other sexual offences"

OFFENCE_GROUPS = (RAPE, ASSAULT, ACTIVITY, GROOMING, IMAGES, EXPLOITATION, OTHER)


@dataclass(frozen=True)
class OffenceCode:
    code: str
    description: str
    group: str
    min_age: int  # victim age range implied by the offence title
    max_age: int


def _code(code: str, description: str, group: str, ages: tuple[int, int]) -> OffenceCode:
    return OffenceCode(code, description, group, ages[0], ages[1])


ANY = (0, 17)
OFFENCE_CODES: dict[str, OffenceCode] = {
    c.code: c
    for c in (
        _code("19C", "Rape of a female aged 16 and over", RAPE, (16, 17)),
        _code("19D", "Rape of a female child under 16", RAPE, (13, 15)),
        _code("19E", "Rape of a female child under 13", RAPE, (0, 12)),
        _code("19F", "Rape of a male aged 16 and over", RAPE, (16, 17)),
        _code("19G", "Rape of a male child under 16", RAPE, (13, 15)),
        _code("19H", "Rape of a male child under 13", RAPE, (0, 12)),
        _code("17A", "Sexual assault on a male aged 13 and over", ASSAULT, (13, 17)),
        _code("17B", "Sexual assault on a male child under 13", ASSAULT, (0, 12)),
        _code("20A", "Sexual assault on a female aged 13 and over", ASSAULT, (13, 17)),
        _code("20B", "Sexual assault on a female child under 13", ASSAULT, (0, 12)),
        _code("21", "Sexual activity involving a child under 13", ACTIVITY, (0, 12)),
        _code("22A", "Causing sexual activity without consent", OTHER, ANY),
        _code("22B", "Sexual activity involving child under 16", ACTIVITY, (13, 15)),
        _code("23", "Incest or familial sexual offences", OTHER, ANY),
        _code("70", "Sexual activity etc with a person with a mental disorder", OTHER, ANY),
        _code("71", "Abuse of children through sexual exploitation", EXPLOITATION, ANY),
        _code("72", "Trafficking for sexual exploitation", OTHER, ANY),
        _code("73", "Abuse of position of trust of a sexual nature", EXPLOITATION, ANY),
        _code("88A", "Sexual grooming", GROOMING, (0, 15)),
        _code("88C", "Other miscellaneous sexual offences", OTHER, ANY),
        _code("88D", "Unnatural sexual offences", OTHER, ANY),
        _code("88E", "Exposure and voyeurism", OTHER, ANY),
        _code("86", "Obscene publications etc", IMAGES, ANY),
    )
}

RELATIONSHIPS = (
    "family",
    "partner or ex-partner",
    "friend or acquaintance",
    "online contact only",
    "stranger",
    "unknown",
)
KNOWN_TO_VICTIM = ("family", "partner or ex-partner", "friend or acquaintance")

VICTIM_AGE_BANDS = ("0-9", "10-12", "13-15", "16-17")
SUSPECT_AGE_BANDS = ("10-17", "18-24", "25-39", "40-59", "60+", "unknown")
VICTIM_SEXES = ("F", "M", "X")
SUSPECT_SEXES = ("F", "M", "X", "unknown")
ETHNIC_GROUPS = ("White", "Asian", "Black", "Mixed", "Other", "Unknown")
UNKNOWN_ETHNICITY = ("", "unknown", "not stated", "not recorded")

# Headline national figures (shared/data/insights/published_csae_figures.csv, sources there).
PUBLISHED = {
    "share_victims_female": 0.79,  # VKPP National Analysis 2023
    "share_perpetrators_male": 0.82,  # VKPP 2023
    "share_contact_abuse": 0.68,  # VKPP 2023
    "share_sexual_assault_on_a_child": 0.29,  # VKPP 2023
    "share_indecent_imagery_of_children": 0.27,  # VKPP 2023
    "share_rape_of_a_child": 0.18,  # VKPP 2023
    "share_group_based_csae": 0.05,  # VKPP 2022
    "share_suspects_children_of_known_age": 0.52,  # VKPP 2023: "over half" aged 10-17
}
