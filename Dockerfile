FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ioc ioc
COPY ingest ingest
COPY ml ml
COPY web web
COPY config config
RUN pip install --no-cache-dir -e .
ENV PYTHONUNBUFFERED=1
EXPOSE 5000
CMD ["ioc", "up"]
