"""Closing the loop (layer ``act``), in four sub-packages:

- :mod:`advocacy.loop.cases`: case rules, cases, casework, escalation, recovery and coaching;
- :mod:`advocacy.loop.plans`: action plans and their progress;
- :mod:`advocacy.loop.surveys`: hosted surveys, signed links and answers;
- :mod:`advocacy.loop.notify`: the outbox and its delivery by e-mail and webhook.

Each sub-package lists in ``__all__`` what the facade (``advocacy.namespaces``) uses. The package
imports nothing itself, so its modules can import one another lazily without cycles.
"""
