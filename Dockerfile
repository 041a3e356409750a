# parley: a static, CGO-free binary (SQLite is pure Go) on distroless, running as nonroot.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t parley .
#   docker run -p 8080:8080 -v parley-data:/data parley
#
# Build stage.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/parley ./cmd/parley \
 && mkdir -p /out/data && chown 65532:65532 /out/data

# Final stage: no shell, no package manager; uid/gid 65532 (nonroot).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/parley /parley
# The default SQLite database lives in /data, owned by nonroot so the service can write
# it. A named volume mounted there starts with this ownership; a bind mount keeps the
# host directory's, which must then be writable by uid 65532.
COPY --from=build --chown=65532:65532 /out/data /data
ENV PARLEY_DATABASE_URL=/data/parley.db
VOLUME ["/data"]
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/parley"]
CMD ["serve"]
