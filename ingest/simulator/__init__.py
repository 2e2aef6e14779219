"""The traffic simulator: realistic mixed traffic for a Vietnamese city."""
