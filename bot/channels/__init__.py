"""Rasa input channels of the assistant: REST (`rest.py`), the web chat widget
(`webchat.py`) and LINE (`line.py`), each on the one guarded path of `pipeline.py`."""
