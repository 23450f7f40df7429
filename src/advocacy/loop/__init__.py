"""Closing the loop (layer ``act``): case rules and cases, recovery, action plans, hosted surveys
and notifications.

Modules, by what they hold:

- case rules: :mod:`~advocacy.loop.rules` (the rule record and its triggers),
  :mod:`~advocacy.loop.rule_format` (the YAML rules file), :mod:`~advocacy.loop.rule_store`
  (the stored rules), :mod:`~advocacy.loop.triggers` (which evidence a rule fires on);
- cases: :mod:`~advocacy.loop.cases` (the case record and reading it),
  :mod:`~advocacy.loop.case_opening` (the rules opening cases on new evidence),
  :mod:`~advocacy.loop.casework` (working a case), :mod:`~advocacy.loop.sweep` (escalation and
  the customer rules), :mod:`~advocacy.loop.recovery` (the loop's results),
  :mod:`~advocacy.loop.recovery_rule` (when a customer counts as recovered);
- coaching: :mod:`~advocacy.loop.coaching` (an employee's feedback themes beside their unit's),
  :mod:`~advocacy.loop.employee_cases` (the cases tied to an employee and their recovery);
- notifications: :mod:`~advocacy.loop.case_notifications` (what a case change tells whom),
  :mod:`~advocacy.loop.outbox`, :mod:`~advocacy.loop.delivery`, :mod:`~advocacy.loop.email`,
  :mod:`~advocacy.loop.webhooks`, :mod:`~advocacy.loop.digest`;
- action plans: :mod:`~advocacy.loop.plans` (creating and changing them),
  :mod:`~advocacy.loop.plan_store` (the record, its checks and table),
  :mod:`~advocacy.loop.plan_progress` (movement and verdict), :mod:`~advocacy.loop.impact`
  (measuring a metric), :mod:`~advocacy.loop.links` (what a plan may fix);
- hosted surveys: :mod:`~advocacy.loop.surveys` (definitions),
  :mod:`~advocacy.loop.invitations` (signed links), :mod:`~advocacy.loop.contact_guard`,
  :mod:`~advocacy.loop.signing`, :mod:`~advocacy.loop.survey_forms` (the form and its check),
  :mod:`~advocacy.loop.submissions` (committing answers).

The package imports nothing itself, so its modules can import one another lazily without
cycles.
"""
