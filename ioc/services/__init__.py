"""Services: the only code that changes state. Each takes a unit of work,
changes the model, appends to the event log and queues the live events that
the unit of work publishes after commit."""
