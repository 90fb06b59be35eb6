// The production ecosystem.config.js as PM2 runs it, with one change for tests/ops/test_pm2.py: the gateway gets fake
// neonize clients (`scripts/load_gateway.py gateway` is `booking-bot gateway` with the fake client factory) and the
// test's port. Everything else (apps, instances, env, kill_timeout, restarts) is the real file's.
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const real = require(path.join(root, "ecosystem.config.js"));

module.exports = {
  apps: real.apps.map((app) => {
    const here = { ...app, cwd: root }; // what `pm2 start ecosystem.config.js` from the project root gives
    if (app.name !== "gateway") {
      return here;
    }
    return {
      ...here,
      script: ".venv/bin/python",
      args: "scripts/load_gateway.py gateway",
      env: { ...app.env, BOOKING_BOT_GATEWAY_PORT: process.env.BB_PM2_TEST_GATEWAY_PORT || "8081" },
    };
  }),
};
