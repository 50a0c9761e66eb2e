"""Billing exports (issue 23): the subscription and member lists billing platforms let a
creator download, read into one subscription per row. Pure, as the rest of
``imports.parsing``: ``reader.parse_billing`` reads, ``presets`` recognises the
platforms (one module each: ``stripe``, ``patreon``, ``polar``, ``baremetrics``)."""
