"""Records, configuration, YAML and schema: what every other layer builds on."""
