"""The bundled recipes (YAML files), installed as package data of `saga.recipes`: `saga demo` finds its recipe in a
wheel as well as in a checkout."""
