"""Outgoing webhooks: the desk's events sent, signed, to the addresses editors register.

``events`` is the one table from audit actions to webhook event types and builds payloads;
``dispatch`` turns a recorded event into deliveries (called by the services, beside the
notifications' ``announce``); ``tasks`` writes and sends them in the worker, with retries;
``delivery`` signs and sends one (Standard Webhooks) through ``claims.netguard``, which refuses
addresses inside the desk's network; ``services`` and ``selectors`` are the endpoints' writes
and reads, for the pages and the API. Import the module you need.
"""
