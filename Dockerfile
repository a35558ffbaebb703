# syntax=docker/dockerfile:1
# One image for every Slab5 process: the api (default command), the worker and the operator CLI
# (docker-compose.yml picks the command). The api runs as the esbuild bundle built below (less
# memory and a faster start than tsx's loader); the worker and the CLI run through tsx (Temporal
# bundles the workflows itself, from their .ts paths).
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
# Production dependencies only (tsx and esbuild are among them); the lockfile pins every version.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM --platform=linux/amd64 node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=duckdb-extension /ext/duckdb_extension_postgres_scanner/extensions/v1.5.5/postgres_scanner.duckdb_extension \
     .tools/duckdb_extensions/v1.5.5/linux_amd64/postgres_scanner.duckdb_extension
COPY . .
# The api's bundle, .build/api.mjs (npm packages stay in node_modules).
RUN npm run build
# Matches DUCKDB_EXTENSION_DIR in docker-compose.yml.
ENV DUCKDB_EXTENSION_DIR=/app/.tools/duckdb_extensions
# BI writes its DuckDB snapshots under .data (BI_SNAPSHOT_DIR): the runtime user owns it.
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 3000
# Source maps: stack traces name the .ts files, which the image holds.
CMD ["node", "--enable-source-maps", ".build/api.mjs"]
