"""The project's own format modules (``FORMAT_MODULE_PATH``); see ``en/formats.py``."""
