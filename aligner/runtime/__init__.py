"""The run's machinery: media in, the model, caches, scratch folders, memory, the sidecar process, text files."""
