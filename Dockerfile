# The Stepwise CLI in a container: Node 20, git, ripgrep, running as a user that is not root.
#   docker build -t stepwise .
#   docker run --rm -it --user "$(id -u):$(id -g)" -e HOME=/tmp -v "$PWD:/work" -e OPENAI_API_KEY stepwise run "Fix the failing test"
# The CLI is the npm package built from these sources (scripts/pack-cli.mjs), installed as a user
# would install it. Built by CI (.github/workflows/ci.yml), not on the team's machines (no Docker daemon there).

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/pack-cli.mjs --pack

FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends git ripgrep ca-certificates \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/npm/*.tgz /tmp/stepwise-cli.tgz
RUN npm install -g --no-audit --no-fund /tmp/stepwise-cli.tgz && rm /tmp/stepwise-cli.tgz && npm cache clean --force
# The mounted folder belongs to the host's user, not this one: git must still read it.
RUN useradd --create-home --uid 10001 stepwise && git config --system --add safe.directory '*'
USER stepwise
WORKDIR /work
ENTRYPOINT ["stepwise"]
CMD ["--help"]
