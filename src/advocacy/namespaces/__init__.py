"""The Workspace's namespaces: one object per concern, reached as an attribute of the workspace.

- ``ws.metrics`` (:class:`~advocacy.namespaces.metrics.MetricsNamespace`): experience scores
  with intervals and tests;
- ``ws.text`` (:class:`~advocacy.namespaces.text.TextNamespace`): text analytics and themes;
- ``ws.gaps`` (:class:`~advocacy.namespaces.gaps.GapsNamespace`): key drivers,
  importance-performance, SERVQUAL, targets, culture and the gap register;
- ``ws.advocates`` (:class:`~advocacy.namespaces.advocates.AdvocatesNamespace`): the advocacy
  ladder, the say-do gap, referrals and fans-to-be;
- ``ws.retention`` (:class:`~advocacy.namespaces.retention.RetentionNamespace`): repeat-purchase
  models, lifetime value and churn risk;
- ``ws.access`` (:class:`~advocacy.namespaces.access.AccessNamespace`): users, API tokens and
  the audit log;
- ``ws.cases`` (:class:`~advocacy.namespaces.cases.CasesNamespace`): case rules, cases, their
  work and the loop's results;
- ``ws.customers`` (:class:`~advocacy.namespaces.customers.CustomersNamespace`): the customer
  360 and the customer search, as a principal may see them;
- ``ws.outbox`` (:class:`~advocacy.namespaces.outbox.OutboxNamespace`): the notifications and
  their delivery;
- ``ws.plans`` (:class:`~advocacy.namespaces.plans.PlansNamespace`): action plans and their
  progress;
- ``ws.surveys`` (:class:`~advocacy.namespaces.surveys.SurveysNamespace`): hosted surveys and
  their links.

Each namespace method calls one library function with the workspace's database (and, for the
analyses, its settings and tables: :mod:`~advocacy.namespaces.tables`), so the CLI, the web app
and notebooks reach the library through the facade only. Each namespace module also
lists in ``__all__`` the types, vocabularies and pure helpers its callers name (``Permission``,
``STATUSES``, ``mask_record``, ``LinkError``, ...), imported on first use; the import-linter
contract ``present-through-facade`` keeps the CLI and the web from importing below them.
"""
