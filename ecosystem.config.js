// PM2: `pm2 start ecosystem.config.js` (settings from .env / the environment: see docs/gateway.md).
// The gateway refuses to start without BOOKING_BOT_ADMIN_TOKEN (32+ characters) in .env or the environment.
// kill_timeout is above the longest task: a worker job may run up to the actor time limit (60 s), the gateway
// finishes the sends in hand (BOOKING_BOT_GATEWAY_SHUTDOWN_SECONDS, 20 s). PM2 sends SIGINT first, SIGKILL after.
// The scheduler runs exactly once (a second instance would only wait as a follower).
const WORKERS = parseInt(process.env.BOOKING_BOT_WORKER_PROCESSES || "2", 10);
const GATEWAYS = parseInt(process.env.BOOKING_BOT_GATEWAY_PROCESSES || "1", 10);

module.exports = {
  apps: [
    {
      name: "gateway",
      script: ".venv/bin/booking-bot",
      args: "gateway",
      interpreter: "none",
      exec_mode: "fork",
      instances: GATEWAYS, // each instance holds a fair share of the companies (Redis leases)
      increment_var: "BOOKING_BOT_GATEWAY_PORT", // instance n listens on 8081 + n
      env: { BOOKING_BOT_BROKER: "redis", BOOKING_BOT_GATEWAY_PORT: "8081", PYTHONUNBUFFERED: "1" },
      kill_timeout: 30000,
      max_restarts: 50,
      restart_delay: 2000,
      exp_backoff_restart_delay: 1000,
    },
    {
      name: "worker",
      script: ".venv/bin/booking-bot",
      args: "worker",
      interpreter: "none",
      exec_mode: "fork",
      instances: WORKERS,
      env: { BOOKING_BOT_BROKER: "redis", PYTHONUNBUFFERED: "1" },
      kill_timeout: 70000,
      max_restarts: 50,
      restart_delay: 2000,
      exp_backoff_restart_delay: 1000,
    },
    {
      name: "scheduler",
      script: ".venv/bin/booking-bot",
      args: "scheduler",
      interpreter: "none",
      exec_mode: "fork",
      instances: 1,
      env: { BOOKING_BOT_BROKER: "redis", PYTHONUNBUFFERED: "1" },
      kill_timeout: 10000,
      max_restarts: 50,
      restart_delay: 2000,
      exp_backoff_restart_delay: 1000,
    },
  ],
};
