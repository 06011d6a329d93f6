# Passerelle: one image for the server. Debian's Chromium is included for the WhatsApp web
# client (puppeteer never downloads its own browser: see .puppeteerrc.cjs).
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production CHROMIUM_PATH=/usr/bin/chromium DATA_DIR=/data
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --omit=dev && npm cache clean --force
COPY core ./core
COPY bots ./bots
COPY adapters ./adapters
COPY tsconfig.json ./
RUN mkdir -p /data && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--max-old-space-size=160", "--import", "tsx", "adapters/main.ts"]
