"""The audit trail: a fixed list of actions (``actions``), the hash chain and its verification
(``chain``), and readable sentences (``sentences``). Import the module you need: models, services
and selectors all reach the trail, so this package itself imports nothing."""
