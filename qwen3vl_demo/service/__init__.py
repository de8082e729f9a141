"""The third floor: the app without its UI.

``engine`` is the facade the UI calls (similarity, search, rerank); behind it the model slots
(``slots``), the shared embedding cache and list memo (``store``), the saved index of the samples
(``saved_index``), plain results (``results``), the "inside the embeddings" views (``insights``),
URL fetching (``fetch``) and process metrics (``metrics``). No gradio here.
"""
