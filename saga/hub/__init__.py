"""Publishing to and resolving from the Hugging Face Hub.

`publish` uploads a dataset/adapter folder as one tagged commit; `references` turns `ORG/NAME@REV` or a local
folder into an immutable revision (commit SHA or content fingerprint) and loads datasets pinned to it.
"""
