"""The ground floor: what the app knows without a model, a UI or a network.

Constants and settings (``config``), the one error type (``errors``), the official input format
(``formatting``), images and videos read as the official code reads them (``media``, ``inputs``),
the app's items (``items``), and the maths on vectors (``similarity``, ``analysis``, ``batching``).
No torch, no gradio, no HTTP client here.
"""
