"""Closing the loop (layer ``act``): case rules and cases, recovery, action plans, hosted surveys
and notifications.

Modules: :mod:`~advocacy.loop.rules` (case rules as data and YAML), :mod:`~advocacy.loop.triggers`
(which evidence a rule fires on), :mod:`~advocacy.loop.cases` (opening, routing and working
cases), :mod:`~advocacy.loop.recovery` (the loop's results), :mod:`~advocacy.loop.sweep`
(escalation and sweep rules), :mod:`~advocacy.loop.outbox` (notifications), and the plans and
surveys modules. The package imports nothing itself, so its modules can import one another lazily
without cycles.
"""
