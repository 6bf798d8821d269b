"""The committee's Sheet: the rows it shows (``model``, built from the store by ``build``), their tabs and
cells (``layout``, words in ``labels``), Google's batchUpdate requests (``sheet_requests``) and the read and
write against the spreadsheet (``publish``). May import daemon.results, daemon.store, settings and errors."""
