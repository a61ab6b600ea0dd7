# CampaignRealtime: a multi-stage image. The build stage compiles a release binary with the Swift
# standard library linked in; the runtime stage is plain Debian with libpq5, the binary and its
# resource bundles, run as an unprivileged user.
#
# No image registry is needed: deploy/make-base-images makes both images from Debian's packages
# and this machine's Swift toolchain. Then (see docs/DEPLOYING.md, "Container image"):
#   deploy/podman build --network host -t campaign-realtime:latest .
# BASE_IMAGE / BUILDER_IMAGE name other images with the same contents (any Debian bookworm; a
# bookworm with a Swift 6 toolchain, git and scripts/install-deps' packages).
ARG BASE_IMAGE=localhost/campaign-realtime/debian:bookworm
ARG BUILDER_IMAGE=localhost/campaign-realtime/builder:bookworm

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
# Only what `swift build` reads (the manifest names the Tests and Benchmarks paths too), so an edit
# to the docs or deploy/ does not rebuild the binary.
COPY Package.swift Package.resolved ./
COPY scripts scripts
COPY Sources Sources
COPY Tests Tests
COPY Benchmarks Benchmarks
# The same commands as scripts/run-server (scripts/install-deps, then swift build -c release), plus
# the static standard library so the runtime stage needs no Swift toolchain. The build directory is
# a cache mount, so a rebuild after a small change compiles only what changed. SwiftPM's bundle
# accessor looks for <Package>_<Target>.resources next to the executable first: copy every bundle
# there, or the binary stops with "could not load resource bundle" at its first Bundle.module use.
# strip --strip-debug drops the DWARF (88 MB -> 78 MB) but keeps the symbol table, so a crash
# backtrace still names its functions.
RUN --mount=type=cache,target=/src/.build \
    scripts/install-deps \
 && swift build -c release --static-swift-stdlib --product campaign-server \
 && mkdir -p /out \
 && cp .build/release/campaign-server /out/ \
 && strip --strip-debug /out/campaign-server \
 && cp -a .build/release/*.resources /out/ \
 && ls /out

FROM ${BASE_IMAGE} AS runtime
ENV DEBIAN_FRONTEND=noninteractive
# libpq5 for PostgreSQL and zlib1g for gzip: the only shared libraries the binary needs beyond libc/libstdc++.
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends libpq5 zlib1g ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb \
 && useradd --uid 10001 --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin campaign
COPY --from=build /out/ /opt/campaign-realtime/
# The probe compose.yaml's healthchecks run: this image has no curl.
COPY deploy/http-probe /usr/local/bin/http-probe
# Settings come from the environment (a .env in the working directory is read too; none is here).
WORKDIR /opt/campaign-realtime
ENV HOST=0.0.0.0 PORT=3001
USER campaign:campaign
EXPOSE 3001
# compose.yaml and Kubernetes probe over HTTP; this image carries no HEALTHCHECK of its own.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/campaign-realtime/campaign-server"]
