"""gunicorn settings for the web process (Flask-SocketIO, threading mode).

One worker process per container: Socket.IO needs sticky sessions, so scale
out with more containers behind a sticky load balancer and IOC_REDIS_URL set
(the Socket.IO message queue that lets every process reach every browser).
"""

import os

wsgi_app = "ioc.wsgi:app"
bind = f"{os.environ.get('IOC_HOST', '0.0.0.0')}:{os.environ.get('IOC_PORT', '5000')}"
workers = 1
worker_class = "gthread"
# Every open console websocket holds a thread: size this for the consoles you expect.
threads = int(os.environ.get("IOC_WEB_THREADS", "400"))
timeout = 60
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
