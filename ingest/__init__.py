"""The MQTT side of IOC: topic handlers, payload schemas, the ingest worker,
the managed broker and the traffic simulator. A thin adapter over ``ioc``."""
