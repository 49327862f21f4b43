"""`datasets` feature types shared by several builders."""

import datasets

# A chat as TRL's conversational format expects it: a list of {"role", "content"} messages.
MESSAGES = [{"role": datasets.Value("string"), "content": datasets.Value("string")}]
