"""Pure scoring for kpisync: rubric sets from the config, the score of one submission with its explanation,
totals and ranks, Thai answer parsing, fiscal years and rounds.

No I/O and no imports from daemon/ or connectors/: the daemon reads the TOML and the store.
Entry points: ``scoring.rubric.load_rubric_set``, ``scoring.engine.score_submission``, ``scoring.aggregate``,
``scoring.rescore.diff_scores``, ``scoring.thai.parse_number`` / ``parse_thai_date``, ``scoring.calendar``.
"""
