"""A taxonomy the theme tests share: written from theme names and keywords, one theme without
keywords (its words are learnt from the texts), one with a parent."""

from __future__ import annotations

BLITZER_TAXONOMY = """themes:
  - name: Price
    keywords: [price, expensive, cheap, value, money]
  - name: Quality
    keywords: [quality, broke, broken, sturdy, durable]
  - name: Durability
    parent: Quality
    keywords: [lasted, months, stopped working]
  - name: Delivery
    keywords: [delivery, shipping, arrived, package, Lieferung]
  - name: Story
    keywords: [story, plot, characters, author]
  - name: Sound and picture
    description: how the sound and the picture of a film or a player are
"""
