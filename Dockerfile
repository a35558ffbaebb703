# syntax=docker/dockerfile:1
# One image for every Slab5 process: the api (default command), the worker and the operator CLI
# (docker-compose.yml picks the command). TypeScript runs through tsx, as in development.
#
# linux/amd64 only: the DuckDB postgres extension wheel exists for x86_64 alone, and DuckDB loads
# it from <dir>/v<version>/linux_amd64/. On arm64 hosts Docker runs this image emulated.

# The signed DuckDB postgres extension from PyPI. Its version must equal @duckdb/node-api's
# DuckDB version (1.5.5 for 1.5.5-r.5): DuckDB refuses an extension built for another version.
FROM --platform=linux/amd64 python:3.12-slim AS duckdb-extension
RUN pip install --no-cache-dir --disable-pip-version-check --no-deps --only-binary=:all: \
      --target /ext duckdb-extension-postgres-scanner==1.5.5

FROM --platform=linux/amd64 node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only (tsx is one); the lockfile pins every version.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM --platform=linux/amd64 node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=duckdb-extension /ext/duckdb_extension_postgres_scanner/extensions/v1.5.5/postgres_scanner.duckdb_extension \
     .tools/duckdb_extensions/v1.5.5/linux_amd64/postgres_scanner.duckdb_extension
COPY . .
# Matches DUCKDB_EXTENSION_DIR in docker-compose.yml.
ENV DUCKDB_EXTENSION_DIR=/app/.tools/duckdb_extensions
# BI writes its DuckDB snapshots under .data (BI_SNAPSHOT_DIR): the runtime user owns it.
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "bin/api.ts"]
