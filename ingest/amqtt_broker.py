"""A pure-Python MQTT 3.1.1 broker (amqtt) for machines without Mosquitto.

Run as ``python -m ingest.amqtt_broker --port 1884``. amqtt neither queues
messages for offline persistent sessions nor redelivers unacknowledged ones
after a client crash, so it does not carry the zero-loss guarantee; `ioc up`
prefers Mosquitto when it is installed and says which one it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal


def broker_config(host: str, port: int) -> dict[str, object]:
    """amqtt configuration: one TCP listener, anonymous access on loopback."""
    return {
        "listeners": {"default": {"type": "tcp", "bind": f"{host}:{port}"}},
        "plugins": {
            "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True},
        },
    }


async def serve(host: str, port: int) -> None:
    """Run the broker until SIGTERM or SIGINT."""
    from amqtt.broker import Broker

    broker = Broker(broker_config(host, port))
    await broker.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await broker.shutdown()


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1884)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
