"""What the stored submissions come to, with no Google call: which one counts (``assess.supersede``), each
one's flags and score (``assess.score_and_flag``, with ``evidence`` views of the Drive checks), the
committee's word over the auto score (``committee``), person and unit totals and ranks (``totals``), and
``rescore`` after a rubric change. May import daemon.store, settings and errors."""
