"""Loading the Norwegian Bokmål spaCy pipeline that every scorer and builder parses with."""

from saga.builders.nlp.loading import BUNDLED_PIPELINES, load, pipeline_fingerprint

__all__ = ["BUNDLED_PIPELINES", "load", "pipeline_fingerprint"]
