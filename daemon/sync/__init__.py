"""One sync: ``cycle`` runs the steps in order — ``roster``, each form (``form_pull``: read, then ``plan`` and
``normalize`` with ``links``, stored with its checkpoint), the Drive evidence (``drive_check``), the
dashboard read, then results and publish — and ``failures`` turns a part Google would not serve into a
partial run. May import daemon.dashboard, daemon.results, daemon.store, settings and errors."""
