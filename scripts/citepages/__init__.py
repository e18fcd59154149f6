"""Turn a BibTeX library and Markdown pages with Pandoc citations into linked study pages.

Plain Python with no knowledge of MkDocs: `scripts/hooks.py` adapts it to MkDocs, and the
CLI (`python -m citepages`) writes the same pages for any other site generator.
"""
