"""Control, jurisdiction and exit for each dependency: who controls it, where its code lives and is published
and who operates those places, who holds its funding, what a way out looks like and under which law.

Two harms are kept apart throughout (see docs/sovereignty.md):
* **cut-off**: a forge, registry, funding platform or steward that can withdraw access, delete, relicense,
  or be compelled to (sanctions, court orders, the US CLOUD Act); mirrors and independent implementations
  mitigate it;
* **control**: one company decides the roadmap and the licence, from another jurisdiction; recorded licence
  changes (Redis, Terraform, Vault, Elasticsearch, MongoDB) show what that control can do.

``reference`` loads the reviewed data files in ``data/sovereignty/``; ``control`` and ``exposure`` are pure
functions over the facts ``analysis.queries.sovereignty`` reads; ``explain`` turns them into sentences.
"""
