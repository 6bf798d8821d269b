"""kpisync's process: the CLI (cli), the composition root (app), the schedule (scheduler), logging, the demo,
the settings and the config-error type. The work itself is in four packages whose imports point one way:

- ``daemon.sync``: one sync cycle and its steps (roster, each form pulled and applied, Drive evidence checked)
- ``daemon.dashboard``: the committee's Sheet (the rows, their layout, reading and publishing them)
- ``daemon.results``: what the stored submissions come to (supersede, flags, scores, the committee's word,
  totals and ranks, rescore)
- ``daemon.store``: the tables, the engine with its migrations, the queries; imports nothing else of daemon/

sync → dashboard → results → store, each also using settings and errors (tests/test_architecture.py).
"""
