"""What an admin runs beside the daemon: ``doctor`` (can the service account reach everything the config
names?), ``status`` (the last runs, failures, open flags, the next run), ``export`` (a round's results as
.xlsx and .csv, laid out by the same code as the summary tab) and ``init`` (a commented config to start
from). Each module builds on the sync's own parts and never writes to Google.
"""
