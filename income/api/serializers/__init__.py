"""API serializers: validate input shapes and render output. No business rules here.

One module per part of the API: ``base`` (the shared parts), ``calculator``,
``reference`` (profile and shared reference data), ``records`` (sources and what is
recorded on them), ``tax_records`` (costs and fund years), ``payments`` and ``figures``
(the dashboard and the stored figures).
"""
