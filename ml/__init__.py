"""Routing intelligence for IOC: which department acts, how urgent, is it a duplicate.

Modules: ``normalize`` (Vietnamese text as citizens write it), ``router``
(a loaded model: text -> ``Prediction``), ``store`` (versioned artefacts,
training, hot reload), ``evaluate``, ``similarity`` (duplicate detection)
and ``cli`` (``ioc ml ...``). Importing the package loads nothing heavy.
"""
