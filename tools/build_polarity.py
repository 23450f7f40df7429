"""Write the English word-polarity lexicon the negation reading uses (a build step).

Run from the repository with the ``dev`` extra installed (it carries ``vaderSentiment``)::

    python tools/build_polarity.py

It writes ``src/advocacy/text/models/polarity_en.txt``: one word and its mean valence (-4..4,
one decimal) a line, for every single-word entry of VADER's lexicon (Hutto & Gilbert 2014,
``vader_lexicon.txt`` in the vaderSentiment package, MIT licence; the notice is copied into
the file's header) made of letters (and inner apostrophes or hyphens) with a valence of at
least 0.5 either way. The same package version gives the same file.

References
----------
Hutto, C.J. & Gilbert, E. (2014). VADER: a parsimonious rule-based model for sentiment analysis
of social media text. ICWSM-14.
"""

from __future__ import annotations

import argparse
import re
from importlib import metadata, resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "src" / "advocacy" / "text" / "models" / "polarity_en.txt"
WORD = re.compile(r"^[a-z]+(?:['-][a-z]+)*$")
MIN_VALENCE = 0.5


def build(out: Path = OUT) -> int:
    """Write the lexicon to ``out``; returns the number of words."""
    package = resources.files("vaderSentiment")
    lexicon = (package / "vader_lexicon.txt").read_text(encoding="utf-8")
    licence = next(
        f for f in metadata.files("vaderSentiment") or [] if f.name.upper() == "LICENSE.TXT"
    )
    notice = Path(str(licence.locate())).read_text(encoding="utf-8").strip()
    version = metadata.version("vaderSentiment")
    words = {}
    for line in lexicon.splitlines():
        fields = line.split("\t")
        if len(fields) < 2 or not WORD.match(fields[0]):
            continue
        valence = float(fields[1])
        if abs(valence) >= MIN_VALENCE:
            words[fields[0]] = round(valence, 1)
    header = [
        f"# Single-word valences (-4..4) from VADER's lexicon, vaderSentiment {version}.",
        "# Built by tools/build_polarity.py; the lexicon's licence follows.",
        *(f"# {line}".rstrip() for line in notice.splitlines()),
    ]
    body = [f"{word}\t{valence:g}" for word, valence in sorted(words.items())]
    out.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    return len(body)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    arguments = parser.parse_args(argv)
    print(f"{build(arguments.out)} words -> {arguments.out}")


if __name__ == "__main__":
    main()
