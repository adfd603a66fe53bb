-- Moderate isolation with generous resources
hexe.ses.isolation.set({
  profile = "default",
  memory = "4G",
  pids = 2000,
})
