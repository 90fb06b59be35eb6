#!/usr/bin/env bash
# Make sure the local services the tests use are up: PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379).
# Starts an installed but stopped service. In CI (CI=true) a service that cannot be reached is a failure.
set -uo pipefail

failed=0

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
postgres_up() { pg_isready -h 127.0.0.1 -p 5432 -q >/dev/null 2>&1; }

ensure() {
    local name=$1 check=$2 start=$3
    if $check; then return 0; fi
    if eval "$start" >/dev/null 2>&1; then
        for _ in $(seq 1 30); do $check && { echo "started $name"; return 0; }; sleep 0.5; done
    fi
    echo "$name is not reachable" >&2
    failed=1
}

if command -v redis-server >/dev/null 2>&1; then
    ensure redis redis_up 'mkdir -p /var/lib/redis /var/log/redis && redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log'
else
    echo "redis-server is not installed" >&2; failed=1
fi
if command -v pg_ctlcluster >/dev/null 2>&1; then
    ensure postgresql postgres_up 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n 1) main start'
else
    postgres_up || { echo "PostgreSQL is not installed" >&2; failed=1; }
fi

# neonize (the WhatsApp gateway) loads the system libmagic: install it when missing and we may.
if ! ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1'; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        { apt-get update -qq && apt-get install -y -qq libmagic1; } >/dev/null 2>&1 || { echo "libmagic1 install failed" >&2; failed=1; }
    else
        echo "libmagic1 is missing (apt-get install libmagic1)" >&2; failed=1
    fi
fi

# The browser test (tests/browser) drives Debian's chromium headless: install it when missing and we may.
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        { apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core; } >/dev/null 2>&1 \
            || { echo "chromium install failed" >&2; failed=1; }
    else
        echo "chromium is missing (apt-get install chromium)" >&2; failed=1
    fi
fi

# The PM2 test (tests/ops/test_pm2.py) runs ecosystem.config.js under real PM2 from npm, installed in the project.
PM2_VERSION=7.0.4
PM2_PREFIX="$(cd "$(dirname "$0")/.." && pwd)/.pm2-runtime"
if [ "$(node -p "require('$PM2_PREFIX/node_modules/pm2/package.json').version" 2>/dev/null)" != "$PM2_VERSION" ]; then
    if command -v npm >/dev/null 2>&1; then
        npm install --prefix "$PM2_PREFIX" "pm2@$PM2_VERSION" --no-audit --no-fund --loglevel=error >/dev/null 2>&1 \
            || { echo "pm2 install failed (npm install --prefix .pm2-runtime pm2@$PM2_VERSION)" >&2; failed=1; }
    else
        echo "npm is missing: the PM2 test needs Node.js and npm (apt-get install nodejs npm)" >&2; failed=1
    fi
fi

if [ "$failed" -ne 0 ]; then
    if [ "${CI:-}" = "true" ]; then
        echo "CI=true: a missing service is a failure" >&2
        exit 1
    fi
    echo "warning: tests that need the missing service(s) will fail" >&2
fi
exit 0
