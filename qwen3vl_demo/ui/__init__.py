"""The top floor: the Gradio app (``app.build_demo``), one file per tab under ``tabs``, and what
the tabs share: handler plumbing (``common``), widget values to items (``forms``), results to
figures, tables and files (``outputs``, ``plots``, ``previews``), the header and the examples.

Only this floor imports gradio; importing the package itself imports nothing (``app.py`` reads
the saved index while Gradio imports).
"""
