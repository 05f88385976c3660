# The web front end: nginx serving the built SvelteKit app (web/build) and proxying /graphql
# (WebSocket upgrades included) and /health to the API service. Build the app first, then the
# nginx base (no registry: Debian's nginx binary and its libraries, see docker/README.md):
#   docker/base/build-base.sh nginx
#   docker build -f docker/web.Dockerfile -t sightline/web:local .
FROM sightline/nginx:local
COPY docker/web/nginx.conf /etc/nginx/nginx.conf
COPY web/build /usr/share/nginx/html
USER 10001
EXPOSE 8080
# nginx finishes the requests in flight on SIGQUIT; SIGTERM would drop them.
STOPSIGNAL SIGQUIT
# The app's index page, served by nginx itself (node is in the base; there is no curl).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["nginx", "-c", "/etc/nginx/nginx.conf", "-g", "daemon off;"]
