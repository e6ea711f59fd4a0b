"""Who did what to whom in one clause: the initiator (actor1) and the target (actor2).

- "by X" names the initiator; an actor before the main trigger is the initiator in the active
  voice ("US forces struck ...") and the target in the passive ("US forces were attacked");
  an actor before "when" is hit by what follows ("two US soldiers were hurt when drones ...");
  actors after the trigger are targets.
- Interceptions: those who intercept are the target's side; the attacker is named by "by" or a
  claim. Prevented attacks: those who prevent them are named in the notes. Clashes: the first
  actor named against the next.
- Generic names ("Iran-backed militias", "US-led coalition") give way to specific ones.
"""

from __future__ import annotations

import re

from dashboard.ingest import rules

_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?$|\bcame\s+under\s*$", re.I
)
_AGENT_BEFORE = re.compile(
    r"(?<!used )(?<!operated )(?<!run )(?<!held )(?<!controlled )"
    r"(?<!backed )(?<!supported )(?<!owned )\bby\s+(?:the\s+)?$",
    re.I,
)
_WHEN = re.compile(r"\bwhen\b", re.I)

Mentions = list[rules.ActorMention]


def _is_agent(text: str, mention: rules.ActorMention) -> bool:
    return bool(_AGENT_BEFORE.search(text[max(0, mention.start - 25) : mention.start]))


def _split(text: str, actors: Mentions, pivot: int, passive: bool) -> tuple[Mentions, Mentions]:
    """(initiators, targets) by position against the main trigger."""
    initiators: Mentions = []
    targets: Mentions = []
    for mention in actors:
        if _is_agent(text, mention):
            initiators.append(mention)
        elif mention.start < pivot and _WHEN.search(text[mention.end : pivot]):
            targets.append(mention)
        elif mention.start < pivot:
            (targets if passive else initiators).append(mention)
        else:
            targets.append(mention)
    return initiators, targets


def _by_type(text: str, actors: Mentions, etype: str | None, pivot: int, split):
    """Event types whose roles read differently: interception, foiled attack, clash."""
    initiators, targets = split
    notes: list[str] = []
    if etype == "interception":
        by = [m for m in actors if _is_agent(text, m)]
        return by, [m for m in initiators + targets if m not in by], notes
    if etype == "foiled_attack":
        preventers = [m for m in initiators if m.start < pivot]
        if preventers:
            notes.append(f"prevented by {preventers[0].name}")
        return [m for m in initiators if m.start >= pivot], targets, notes
    if etype == "clash":
        return actors[:1], actors[1:], notes
    return initiators, targets, notes


def _pick(mentions: Mentions, exclude: str | None) -> str | None:
    names = [m.name for m in mentions if m.name != exclude]
    specific = [n for n in names if n not in rules.GENERIC_ACTORS]
    return (specific or names or [None])[0]


def roles(
    text: str, actors: Mentions, triggers: list[rules.Trigger], etype: str | None
) -> tuple[str | None, str | None, list[str]]:
    """(actor1, actor2, notes) of a clause: initiator and target."""
    if not actors:
        return None, None, []
    main = next((t for t in triggers if t.event_type == etype), triggers[0] if triggers else None)
    pivot = main.start if main else len(text)
    passive = bool(main) and bool(_PASSIVE_BEFORE.search(text[:pivot]))
    split = _split(text, actors, pivot, passive)
    initiators, targets, notes = _by_type(text, actors, etype, pivot, split)
    actor1 = _pick(initiators, None)
    return actor1, _pick(targets, actor1), notes
