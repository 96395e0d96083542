"""Product-family model: schema, YAML loader and the expression language."""
