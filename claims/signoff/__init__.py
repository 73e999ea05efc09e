"""Sign-off and corrections: a verdict takes effect when a second editor signs it off, and a
change to a published verdict is a public correction.

``publication`` applies a verdict and records what the public sees (shared with the direct state
move of a desk without sign-off); ``services`` proposes, signs off, returns and withdraws;
``selectors`` reads what waits and what was corrected. The rest of the house reaches this
package through those modules; who may do what is answered in ``claims.permissions``.
"""
